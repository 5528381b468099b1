"""Home working in the Netherlands (CBS, Eurostat, KiM, TNO) and the covid-19 advice timeline."""

from analysis.metadata.model import Field, Resource, Source

# Series that must never be joined into one line; the resource description explains each.
HOMEWORK_DEFINITIONS = (
    "cbs_ebb_usually_or_occasionally",
    "cbs_ebb_most_of_time_or_sometimes",
    "cbs_q2_reference_week_employees",
    "cbs_work_address",
    "cbs_hours_at_home",
    "eurostat_usually",
    "eurostat_at_least_occasionally",
    "kim_mobility_panel",
    "kim_synthesis_2020",
    "kim_survey_2022",
    "tno_nea_covid",
    "rivm_behaviour_data",
    "google_mobility",
)

HOMEWORK_MEASURES = (
    "share_pct",
    "persons_thousands",
    "persons_million",
    "hours_per_week",
    "share_of_hours_pct",
    "change_vs_baseline_pct",
)

HOMEWORK_INDICATORS = (
    "employed",
    "employed_worked_in_week",
    "works_at_home",
    "usually_at_home",
    "occasionally_at_home",
    "occasionally_at_home_fixed_days",
    "occasionally_at_home_no_fixed_day",
    "not_at_home",
    "mostly_at_home",
    "sometimes_at_home",
    "fully_at_home",
    "partly_at_home",
    "all_days_on_location",
    "more_at_home_than_before_crisis",
    "expects_more_home_work_after_crisis",
    "home_work_address",
    "work_address_in_own_home",
    "work_address_from_own_home",
    "work_address_at_or_next_to_home",
    "fixed_work_address",
    "no_fixed_work_address",
    "hours_worked",
    "hours_at_home",
    "home_share_of_hours",
    "physically_demanding_work",
    "screen_work_6h_per_day",
    "needs_extra_workplace_means",
    "workplace_presence",
)

HOURS_BANDS = (
    "1-12 h",
    "12-20 h",
    "20-28 h",
    "28-35 h",
    "35 h or more",
    "hours unknown",
    "1-20%",
    "20-40%",
    "40-60%",
    "60-80%",
)

PRODUCERS = ("CBS", "Eurostat", "KiM", "TNO", "RIVM", "Google")

# Strictest last. The wording the source used is kept in homeworking_advice_wording.
HOMEWORKING_ADVICE = (
    "none",
    "regional_advice_only",
    "work_at_home_if_possible",
    "at_least_half_at_home",
    "urgent_work_at_home",
)

EVENT_DATE_KINDS = ("occurred", "announced", "in_force", "announced_and_in_force", "as_listed")

FIELDS = {
    "figure_producer": Field(
        "string",
        "Organisation that produced the figure (statistics office, research institute or "
        "company), which may differ from the site the figure was read on.",
        enum=PRODUCERS,
    ),
    "homework_indicator": Field(
        "string",
        "What a home-working figure counts: for example people who usually work at home, the "
        "whole employed group as a denominator, or hours worked at home. Read it together with "
        "`definition`, which says how the survey asked.",
        enum=HOMEWORK_INDICATORS,
    ),
    "hours_band": Field(
        "string",
        "The published class that a count of persons refers to: hours worked in total or at "
        "home in the reference week ('12-20 h'), or the share of hours worked at home "
        "('20-40%'). Empty for all other rows.",
        enum=HOURS_BANDS,
    ),
    "event_id": Field(
        "string",
        "Stable identifier of one event in the covid-19 timeline, made of its date (or month "
        "when no day was published) and a short description.",
        required=True,
        pattern=r"^[a-z0-9_]+$",
    ),
    "event_date": Field(
        "date",
        "The calendar day of the event as the source gives it; `event_date_kind` says whether "
        "it is the day of an announcement or the day a measure took effect. Empty when the "
        "source gives no calendar day (see `event_date_as_published`).",
    ),
    "event_date_kind": Field(
        "string",
        "What `event_date` is: occurred (the day something happened), announced (day of the "
        "press conference or letter), in_force (first day the change applied), "
        "announced_and_in_force (announced 'per direct'), or as_listed (the day a dated "
        "chronology lists it under, without saying which of these it is).",
        enum=EVENT_DATE_KINDS,
    ),
    "event_date_as_published": Field(
        "string",
        "The date as the source words it, in its own language (for example 'dinsdag 15 "
        "december tot ten minste dinsdag 19 januari'); kept also when no calendar day was given.",
    ),
    "event_end_date": Field(
        "date",
        "The day the source says the measure ended or was reversed (the first day it no longer "
        "applied). Empty when no end is published in the package's sources.",
    ),
    "event_announced_until": Field(
        "date",
        "The day until which the government said the measure would last at least, as the "
        "source states it. Measures were often extended, so this is not the actual end.",
    ),
    "event": Field(
        "string",
        "Short English description of the event or measure, in the curator's words, "
        "following the source.",
    ),
    "homeworking_advice": Field(
        "string",
        "The national home-working advice in force after the event, classified from the "
        "sources' wording: none, regional_advice_only, work_at_home_if_possible, "
        "at_least_half_at_home, urgent_work_at_home (the strictest advice).",
        enum=HOMEWORKING_ADVICE,
    ),
    "asked_from": Field(
        "integer",
        "First year of the series under this definition, as the research extract's notes state "
        "it ('EBB definition 2013-2020', 'from 2021', a StatLine table's '2010-2020'). Empty when "
        "no note states it.",
    ),
    "asked_until": Field(
        "integer",
        "Last year of the series under this definition, as the research extract's notes state "
        "it. Empty when the series goes on or no note states it.",
    ),
    "age_min": Field(
        "integer",
        "Youngest age of the employed people a definition counts, as the research extract's "
        "notes or units state it ('employed aged 15-64'). Empty when none states it.",
        unit="years",
    ),
    "age_max": Field(
        "integer",
        "Oldest age of the employed people a definition counts, as the research extract's notes "
        "or units state it. Empty when none states it.",
        unit="years",
    ),
    "stated_as": Field(
        "string",
        "The words of the research extract's notes or units that state the row's years, table "
        "or ages, each distinct wording once. They are the extract's words, not always the "
        "linked page's.",
    ),
    "homeworking_advice_wording": Field(
        "string",
        "The home-working advice as the source words it: Dutch quotations in quotes, otherwise "
        "an English rendering of the source's text (including 'unchanged' where it says so).",
    ),
}

_NEWS = "cited-facts"

SOURCES = {
    # CBS StatLine tables and CBS's own news pages.
    "cbs_83258ned": Source(
        title="Werkzame beroepsbevolking; thuiswerken, 2013-2020 (StatLine view dl=327E0 with the "
        "2019 rows)",
        url="https://www.cbs.nl/nl-nl/cijfers/detail/83258NED?dl=327E0",
        producer="CBS (Enquête beroepsbevolking)",
        licence="CC-BY-4.0",
        table_id="83258NED",
    ),
    "cbs_82918ned": Source(
        title="Werkzame beroepsbevolking; werkadres, 2010-2020",
        url="https://www.cbs.nl/nl-nl/cijfers/detail/82918NED",
        producer="CBS (Enquête beroepsbevolking)",
        licence="CC-BY-4.0",
        table_id="82918NED",
    ),
    "cbs_85786ned": Source(
        title="Werkzame beroepsbevolking, thuiswerkuren (StatLine view reached through a search "
        "for 'gewerkte uren', with the 2025 Q3 row)",
        url="https://www.cbs.nl/nl-nl/cijfers/detail/85786NED?q=keyword%3Agewerkte+uren",
        producer="CBS (Enquête beroepsbevolking)",
        licence="CC-BY-4.0",
        table_id="85786NED",
    ),
    "cbs_news_2024_11": Source(
        title="Over half of Dutch people work from home sometimes (CBS news, March 2024)",
        url="https://cbs.nl/en-gb/news/2024/11/over-half-of-dutch-people-work-from-home-sometimes",
        producer="CBS",
        licence="CC-BY-4.0",
    ),
    "cbs_news_2020_15": Source(
        title="Bijna 4 op de 10 werkenden werkten vorig jaar thuis: gewoonlijk of incidenteel "
        "thuiswerken (CBS news 2020/15; definitions read here, figures via NU.nl)",
        url="https://www.cbs.nl/nl-nl/nieuws/2020/15/bijna-4-op-de-10-werkenden-werkten-vorig-"
        "jaar-thuis/gewoonlijk-of-incidenteel-thuiswerken",
        producer="CBS",
        licence="CC-BY-4.0",
    ),
    "cbs_news_2020_33": Source(
        title="ICT'ers werken vaakst vanuit huis tijdens coronacrisis: thuiswerken (CBS news "
        "2020/33; method note read here, figures via Security.nl, Computable, Accountancy "
        "van Morgen and De Telegraaf)",
        url="https://www.cbs.nl/nl-nl/nieuws/2020/33/ict-ers-werken-vaakst-vanuit-huis-tijdens-"
        "coronacrisis/thuiswerken",
        producer="CBS",
        licence="CC-BY-4.0",
    ),
    # News items quoting CBS.
    "news_nu_2018_cbs": Source(
        title="Aantal thuiswerkers in vijf jaar tijd met 300.000 toegenomen (NU.nl, March 2018)",
        url="https://www.nu.nl/carriere/5191109/aantal-thuiswerkers-in-vijf-jaar-tijd-met-"
        "300000-toegenomen.html",
        producer="NU.nl, quoting CBS",
        licence=_NEWS,
    ),
    "news_metro_2019_cbs": Source(
        title="Steeds meer Nederlanders werken vanuit huis (Metronieuws, December 2019)",
        url="https://www.metronieuws.nl/in-het-nieuws/2019/12/steeds-meer-nederlanders-werken-"
        "vanuit-huis",
        producer="Metronieuws, quoting CBS",
        licence=_NEWS,
    ),
    "news_nu_2020_cbs": Source(
        title="Bijna vier op de tien Nederlanders werkten in 2019 thuis (NU.nl, April 2020)",
        url="https://www.nu.nl/economie/6042925/bijna-vier-op-de-tien-nederlanders-werkten-in-"
        "2019-thuis.html",
        producer="NU.nl, quoting CBS",
        licence=_NEWS,
    ),
    "news_metro_2024_cbs": Source(
        title="Thuiswerken verschuift naar zomermaanden (Metronieuws, December 2024)",
        url="https://www.metronieuws.nl/geld-carriere/arbeidsmarkt/2024/12/thuiswerken-"
        "verschuift-naar-zomermaanden-cbs/",
        producer="Metronieuws, quoting CBS",
        licence=_NEWS,
    ),
    "news_arbo_online_cbs": Source(
        title="Steeds meer mensen gaan thuiswerken (Arbo-online)",
        url="https://www.arbo-online.nl/16402/steeds-meer-mensen-gaan-thuiswerken",
        producer="Arbo-online, quoting CBS",
        licence=_NEWS,
    ),
    "news_security_2020_cbs": Source(
        title="CBS: aantal ICT'ers dat thuiswerkt in tweede kwartaal verdubbeld (Security.nl)",
        url="https://www.security.nl/posting/669857/CBS%3A+aantal+ict%27ers+dat+thuiswerkt+in+"
        "tweede+kwartaal+verdubbeld?channel=rss",
        producer="Security.nl, quoting CBS",
        licence=_NEWS,
    ),
    "news_avm_2020_08_cbs": Source(
        title="ICT'ers werken vaakst vanuit huis tijdens coronacrisis (Accountancy van Morgen, "
        "12 August 2020)",
        url="https://www.accountancyvanmorgen.nl/2020/08/12/icters-werken-vaakst-vanuit-huis-"
        "tijdens-coronacrisis/",
        producer="Accountancy van Morgen, quoting CBS",
        licence=_NEWS,
    ),
    "news_computable_2020_cbs": Source(
        title="ICT'ers thuiswerk-winnaars tijdens coronacrisis (Computable)",
        url="https://www.computable.nl/artikel/nieuws/carriere/7034809/250449/icters-thuiswerk-"
        "winnaars-tijdens-coronacrisis.html",
        producer="Computable, quoting CBS",
        licence=_NEWS,
    ),
    "news_telegraaf_2020_cbs": Source(
        title="Thuiswerken vooral iets voor hoger opgeleiden (De Telegraaf)",
        url="https://www.telegraaf.nl/financieel/936131601/thuiswerken-vooral-iets-voor-hoger-"
        "opgeleiden",
        producer="De Telegraaf, quoting CBS",
        licence=_NEWS,
    ),
    "news_blikopnieuws_2024_cbs": Source(
        title="Ruim helft Nederlanders werkt weleens thuis (Blik op Nieuws)",
        url="https://www.blikopnieuws.nl/digitaal/301736/ruim-helft-nederlanders-werkt-weleens-"
        "thuis.html",
        producer="Blik op Nieuws, quoting CBS (the March 2024 release)",
        licence=_NEWS,
    ),
    "news_security_2024_cbs": Source(
        title="CBS: sterke daling van aantal Nederlanders dat meestal thuiswerkt (Security.nl)",
        url="https://www.security.nl/posting/834016/CBS%3A+sterke+daling+van+aantal+"
        "Nederlanders+dat+meestal+thuiswerkt?channel=rss",
        producer="Security.nl, quoting CBS (the March 2024 release)",
        licence=_NEWS,
    ),
    # Eurostat.
    "eurostat_news_2018": Source(
        title="Working from home in the EU (Eurostat news item DDN-20180620-1; read on a "
        "mirror, this is the original address decoded from it and was not opened)",
        url="https://ec.europa.eu/eurostat/web/products-eurostat-news/-/DDN-20180620-1",
        producer="Eurostat (Labour Force Survey)",
        licence="Eurostat-reuse",
    ),
    "eurostat_news_2018_mirror": Source(
        title="Working from home in the EU (Eurostat news item DDN-20180620-1, the copy read on "
        "a mirror of ec.europa.eu)",
        url="https://i6563o6575726f7061o6575z.oszar.com/eurostat/web/products-eurostat-news/-/"
        "DDN-20180620-1",
        producer="Eurostat (Labour Force Survey); mirror copy",
        licence="Eurostat-reuse",
    ),
    "eurostat_lfs_quoted": Source(
        title="Living in the EU: work before the coronavirus crisis, figure 3: teleworking (EP "
        "Think Tank, June 2020), quoting Eurostat Labour Force Survey home-working shares",
        url="https://epthinktank.eu/2020/06/24/living-in-the-eu-work-before-the-coronavirus-"
        "crisis/fig-3-teleworking/",
        producer="Eurostat, quoted by others",
        licence=_NEWS,
    ),
    "news_cyprusprofile_eurostat": Source(
        title="Cyprus near bottom of EU list of those working from home (Cyprus Profile)",
        url="https://www.cyprusprofile.com/articles/cyprus-near-bottom-of-eu-list-of-those-"
        "working-from-home",
        producer="Cyprus Profile, quoting Eurostat",
        licence=_NEWS,
    ),
    "news_ot_2021_eurostat": Source(
        title="Eurostat: only 7% of Greeks worked from home in 2020 (OT.gr, English edition, "
        "17 May 2021)",
        url="https://ot.gr/2021/05/17/english-edition/eurostat-only-7-of-greeks-worked-from-"
        "home-in-2020",
        producer="OT.gr, quoting Eurostat",
        licence=_NEWS,
    ),
    "esap_eurostat_2020": Source(
        title="How usual is it to work from home? (ESAP news item 80)",
        url="https://esap.online/esap2/news/80/how-usual-is-it-to-work-from-home",
        producer="ESAP, quoting Eurostat",
        licence=_NEWS,
    ),
    "statista_eurostat_2023": Source(
        title="Share of employed people who usually work from home (Statista chart 20743)",
        url="https://www.statista.com/chart/20743/share-of-employed-people-who-usually-work-from-"
        "home/",
        producer="Statista, charting Eurostat data",
        licence=_NEWS,
    ),
    # KiM.
    "kim_2020_08": Source(
        title="Thuiswerken en de coronacrisis (KiM, August 2020), as summarised by RTL Nieuws",
        url="https://www.rtlnieuws.nl/nieuws/nederland/artikel/5180576/thuiswerkers-corona-"
        "coronavirus-kantoor-voordelen-toekomst",
        producer="Kennisinstituut voor Mobiliteitsbeleid (KiM), quoted by RTL Nieuws",
        licence=_NEWS,
    ),
    "randstad_kim_2020": Source(
        title="Onderzoeksresultaten thuiswerken (Randstad kenniscentrum), summarising KiM's "
        "Thuiswerken en de coronacrisis (August 2020)",
        url="https://www.randstad.nl/werkgevers/kenniscentrum/arbeidsmarkt-en-flexibiliteit/"
        "onderzoeksresultaten-thuiswerken",
        producer="Randstad, quoting the Kennisinstituut voor Mobiliteitsbeleid (KiM)",
        licence=_NEWS,
    ),
    "thuiswerk_cloud_kim_2020": Source(
        title="71% Nederlanders positief over thuiswerken (thuiswerk.cloud blog)",
        url="https://thuiswerk.cloud/71-nederlanders-positief-over-thuiswerken/",
        producer="thuiswerk.cloud (a blog), citing a KiM news item of 21 July 2020",
        licence=_NEWS,
    ),
    "kim_2021_01": Source(
        title="Thuiswerken tijdens en na de coronacrisis (KiM, January 2021)",
        url="https://www.kimnet.nl/publicaties/publicaties/2021/01/12/thuiswerken-tijdens-en-na-"
        "de-coronacrisis",
        producer="Kennisinstituut voor Mobiliteitsbeleid (KiM)",
        licence=_NEWS,
    ),
    "news_nu_2021_kim": Source(
        title="Aantal thuiswerkers kruipt richting het niveau van de eerste golf (NU.nl, "
        "February 2021)",
        url="https://www.nu.nl/economie/6113729/aantal-thuiswerkers-kruipt-richting-het-niveau-"
        "van-de-eerste-golf.html",
        producer="NU.nl, quoting KiM",
        licence=_NEWS,
    ),
    "news_nd_2022_kim": Source(
        title="Onderzoek: aantal thuiswerkuren verdubbeld na coronajaren (Nederlands Dagblad, "
        "July 2022)",
        url="https://www.nd.nl/varia/varia/1134867/onderzoek-aantal-thuiswerkuren-verdubbeld-na-"
        "coronajaren",
        producer="Nederlands Dagblad, quoting KiM",
        licence=_NEWS,
    ),
    # TNO.
    "tno_nea_covid_2020": Source(
        title="COVID-19-meting van de NEA: meer thuiswerken, beeldschermwerk en zitten (TNO)",
        url="https://www.fysiekebelasting.tno.nl/nl/covid-19-meting-van-de-nea-meer-thuiswerken-"
        "beeldschermwerk-en-zitten/",
        producer="TNO (NEA-COVID-19 cohort)",
        licence=_NEWS,
    ),
    "news_nu_2020_tno": Source(
        title="Deel werknemers zegt meer thuis te kunnen werken, maar mag of wil dat niet "
        "(NU.nl, November 2020)",
        url="https://www.nu.nl/economie/6114171/deel-werknemers-zegt-meer-thuis-te-kunnen-"
        "werken-maar-mag-of-wil-dat-niet.html?redirect=1",
        producer="NU.nl, quoting TNO",
        licence=_NEWS,
    ),
    "news_hrmorgen_2023_tno": Source(
        title="TNO-onderzoek: 20% werknemers die thuis kan werken heeft geen afspraken hierover "
        "(HRmorgen, October 2023)",
        url="https://www.hrmorgen.nl/2023/10/tno-onderzoek-20-werknemers-die-thuis-kan-werken-"
        "heeft-geen-afspraken-hierover/",
        producer="HRmorgen, quoting TNO",
        licence=_NEWS,
    ),
    # Used by both tables: RIVM and Google figures, and the January 2022 press conference.
    "news_nd_2022_02": Source(
        title="Nederlanders zijn afgelopen weken niet vaker naar kantoor gegaan (Nederlands "
        "Dagblad, February 2022)",
        url="https://www.nd.nl/varia/varia/1084140/nederlanders-zijn-afgelopen-weken-niet-vaker-"
        "naar-kantoor-gegaan",
        producer="Nederlands Dagblad, quoting RIVM and Google mobility data",
        licence=_NEWS,
    ),
    # Covid-19 timeline: news reports of the government's measures.
    "wikipedia_outbreak_nl": Source(
        title="Uitbraak SARS-CoV-2 in Nederland (Wikipedia)",
        url="https://nl.wikipedia.org/wiki/Uitbraak_SARS-CoV-2_in_Nederland",
        producer="Wikipedia contributors",
        licence=_NEWS,
    ),
    "news_nrc_2020_04": Source(
        title="Twee maanden corona in Nederland: een overzicht van de maatregelen (NRC, "
        "April 2020)",
        url="https://www.nrc.nl/nieuws/2020/04/20/twee-maanden-corona-in-nederland-een-"
        "overzicht-van-de-maatregelen-a3995447",
        producer="NRC",
        licence=_NEWS,
    ),
    "news_volkskrant_2020": Source(
        title="Hoe Nederland van harde lockdown naar harde lockdown hobbelde (de Volkskrant, "
        "December 2020)",
        url="https://www.volkskrant.nl/nieuws-achtergrond/hoe-nederland-van-harde-lockdown-naar-"
        "harde-lockdown-hobbelde~b437a215/",
        producer="de Volkskrant",
        licence=_NEWS,
    ),
    "sdu_2020_11": Source(
        title="Coronamaatregelen vanaf 19 november 2020 (SDU covid-19 dossier)",
        url="https://covid19.sdu.nl/nl/node/20248",
        producer="SDU",
        licence=_NEWS,
    ),
    "news_avm_2020_12": Source(
        title="Strengere lockdown: de nieuwe maatregelen (Accountancy van Morgen, December 2020)",
        url="https://www.accountancyvanmorgen.nl/2020/12/15/strengere-lockdown-de-nieuwe-"
        "maatregelen/",
        producer="Accountancy van Morgen",
        licence=_NEWS,
    ),
    "news_nieuwsnl_2021_04": Source(
        title="Avondklok geldt sinds woensdagochtend niet meer (nieuws.nl, April 2021)",
        url="https://nieuws.nl/algemeen/20210428/avondklok-geldt-sinds-woensdagochtend-niet-meer/",
        producer="nieuws.nl (ANP)",
        licence=_NEWS,
    ),
    "news_alpolis_2021_07": Source(
        title="Thuiswerken wordt toch weer de norm (Alpolis, July 2021)",
        url="https://www.alpolis.nl/nieuwsartikelen/artikel/14812/thuiswerken-wordt-toch-weer-"
        "de-norm",
        producer="Alpolis",
        licence=_NEWS,
    ),
    "news_omroepbrabant_2021_09": Source(
        title="Coronamaatregelen: dit verandert er vanaf zaterdag 25 september (Omroep Brabant)",
        url="https://www.omroepbrabant.nl/nieuws/3923812/coronamaatregelen-dit-verandert-er-"
        "vanaf-zaterdag-25-september",
        producer="Omroep Brabant",
        licence=_NEWS,
    ),
    "news_nd_2021_11": Source(
        title="Rutte denkt dat nieuw thuiswerkadvies minder verwarrend is (Nederlands Dagblad, "
        "November 2021)",
        url="https://www.nd.nl/varia/varia/1067971/rutte-denkt-dat-nieuw-thuiswerkadvies-minder-"
        "verwarrend-is",
        producer="Nederlands Dagblad",
        licence=_NEWS,
    ),
    "news_hbvl_2021_11": Source(
        title="Press conference of 12 November 2021 (Het Belang van Limburg)",
        url="https://www.hbvl.be/cnt/dmf20211112_96603549",
        producer="Het Belang van Limburg",
        licence=_NEWS,
    ),
    "news_nrc_2021_11": Source(
        title="Vanaf zondag gaat Nederland in avondlockdown (NRC, 26 November 2021)",
        url="https://www.nrc.nl/nieuws/2021/11/26/vanaf-zondag-gaan-nederland-in-avondlockdown-"
        "a4067018",
        producer="NRC",
        licence=_NEWS,
    ),
    "news_nu_2021_12": Source(
        title="Vanaf vandaag gaat Nederland in lockdown: dit zijn de maatregelen (NU.nl, "
        "December 2021)",
        url="https://www.nu.nl/coronavirus/6173932/vanaf-vandaag-gaat-nederland-in-lockdown-dit-"
        "zijn-de-maatregelen.html",
        producer="NU.nl",
        licence=_NEWS,
    ),
    "news_nieuwsnl_2022_02": Source(
        title="Versoepelingen thuisbezoek en thuiswerken gaan meteen in (nieuws.nl, February 2022)",
        url="https://nieuws.nl/algemeen/20220215/versoepelingen-thuisbezoek-en-thuiswerken-gaan-"
        "meteen-in/",
        producer="nieuws.nl (ANP)",
        licence=_NEWS,
    ),
    "vrk_2022_03": Source(
        title="Vanaf 23 maart einde aan bijna alle coronamaatregelen (Veiligheidsregio "
        "Kennemerland, March 2022)",
        url="https://www.vrk.nl/nl-NL/Nieuws/2022/03/18/Vanaf-23-maart-einde-aan-bijna-alle-"
        "coronamaatregelen",
        producer="Veiligheidsregio Kennemerland",
        licence=_NEWS,
    ),
    "news_blikopnieuws_2022_03": Source(
        title="Coronamaatregelen per woensdag 23 maart afgeschaft, alleen nog adviezen (Blik op "
        "Nieuws, March 2022)",
        url="https://www.blikopnieuws.nl/gezondheid/293214/coronamaatregelen-per-woensdag-23-"
        "maart-afgeschaft-alleen-nog-adviezen.html",
        producer="Blik op Nieuws",
        licence=_NEWS,
    ),
}

_HOMEWORK_DESCRIPTION = (
    "Every home-working figure found for the Netherlands, one published figure per row: CBS "
    "Labour Force Survey (EBB) figures from StatLine 83258NED, 82918NED and 85786NED and from "
    "CBS news releases (directly or as quoted in news items), Eurostat Labour Force Survey "
    "shares (with the EU average for context), KiM and TNO panels, and two verbal January 2022 "
    "figures from RIVM and Google mobility data. "
    "`definition` separates series that must never be joined into one line: "
    "cbs_ebb_usually_or_occasionally is CBS 2013-2020, employed persons who usually "
    "(gewoonlijk) or occasionally (incidenteel) work at home (83258NED, which ends in 2020; 39% "
    "in 2019); cbs_ebb_most_of_time_or_sometimes is CBS from 2021, most of the time (meestal) or "
    "sometimes (soms, at most half of the usual hours; 54% in 2021, 52% in 2023), a different "
    "question, so the step from 39% to 54% is partly a change of definition; "
    "cbs_q2_reference_week_employees is CBS's Q2 2019 and Q2 2020 comparison of employees only "
    "(self-employed excluded) who did some work at home in the week before the interview, not "
    "the annual figure; cbs_work_address is 82918NED's usual work address (at or from home, a "
    "fixed address, none), which says where people usually work, not whether they sometimes "
    "work at home; cbs_hours_at_home holds CBS's hours-based measures (hours worked at home per "
    "week, the share of all hours worked that were worked at home, and persons by class of "
    "hours in the reference week); eurostat_usually is Eurostat's 'usually works from home' (at "
    "home on at least half of the days worked in a four-week reference period, employed aged "
    "15-64; 14.1% in 2019, 17.8% in 2020); eurostat_at_least_occasionally is Eurostat's "
    "'usually or sometimes' (51.9% in 2023); kim_mobility_panel is KiM's repeated panel "
    "measurements of 2020-2021 (working at least partly at home, hours, expectations); "
    "kim_synthesis_2020 is KiM's August 2020 summary of several studies; kim_survey_2022 is "
    "KiM's July 2022 release on a survey of about 2,000 people in May 2022; tno_nea_covid is "
    "TNO's NEA-COVID-19 cohort of employees (waves June-July 2020, November 2020 and mid-2023, "
    "with end-2019 baseline figures); rivm_behaviour_data and google_mobility are single verbal "
    "figures quoted by Nederlands Dagblad. "
    "`homework_indicator` says what is counted (for example usually_at_home, the whole group "
    "as employed, hours_at_home), `measure` gives the unit, `hours_band` the class of hours for "
    "85786NED counts, and value_low/value_high the one published range (KiM: 45-56% working at "
    "home at the start of the crisis). "
    "Values keep the published digits ('39', '13.7', '5.0'). The research extract did not "
    "record the pages' own notation of numbers, so `value_as_published` holds printed text only "
    "where words were published. Where only words were published (KiM "
    "'about one in three', TNO 'almost half' and 'just over a third', RIVM 'two thirds', Google "
    "'a quarter lower') `value` is empty. Period dates come from the period label alone; "
    "'pre-pandemic', 'start of the crisis', 'end of 2019', 'early July 2020', 'end of January "
    "2022' and the two summers have none (the research filed the summer 2022 and 2024 shares as "
    "third quarters, but the page says summer). "
    "Missing: 83258NED values for 2013-2018 and 2020 (only the 2019 rows were readable; 2013, "
    "2017 and 2018 come from news items quoting CBS); any CBS annual figure for 2020 or 2024; a "
    "complete quarterly series (there are only the Q2 2019/2020 occupations, the summer 2022 "
    "and 2024 hour shares, Q2/Q3 2024 hours and one 2025 Q3 row of 85786NED, whose 80-100% "
    "class was cut off and whose two unlabelled averages, 24,0 and 4,5, were left out); "
    "Eurostat figures for the Netherlands for 2021 and 2022. Table 85718NED, labelled 'work "
    "from home' in third-party code, could not be verified and is not used. "
    "Cautions: parts do not always add to totals. In 83258NED (2019) occasional home workers "
    "on fixed days (469) and on no fixed day (1,750) come to one less than the 2,220 published; "
    "in 82918NED (2020) employees plus self-employed differ by one from several totals, and "
    "the categories shown do not add to the total because the excerpt does not show every "
    "category. Hours at home before the pandemic differ by panel: KiM 3.2 hours (2021 release) "
    "and 3 hours (2022 release), TNO 2.6 hours (employees, end of 2019). The 2013 CBS share is "
    "'ruim 34 procent' in Arbo-online and '34 procent' in NU.nl; both rows are kept. De "
    "Telegraaf labels its Q2 figures for service, transport and agricultural occupations "
    "'wel eens of doorgaans'; the research files them with CBS's reference-week measure. The "
    "Eurostat 2017 figures were read on a mirror of Eurostat's news item. An ANP press-portal "
    "advertorial claiming that CBS found six in ten employees regularly working at home does "
    "not match CBS's published 52% (2023) and was not used."
)

_TIMELINE_DESCRIPTION = (
    "Dated covid-19 events and measures in the Netherlands, from the first confirmed case (27 "
    "February 2020) to the end of almost all measures (23 March 2022), each with the national "
    "home-working advice in force after it. `homeworking_advice` classifies the advice from the "
    "sources' wording: none; regional_advice_only (6 March 2020, Noord-Brabant, before any "
    "national advice); work_at_home_if_possible ('Werk thuis als het kan en op kantoor als het "
    "nodig is', from 25 September 2021); at_least_half_at_home (at least half of working time at "
    "home, worded as 'at most half of the time at the office' in June 2021 and February 2022 and "
    "as a 50% norm in November 2021); urgent_work_at_home (the strictest advice, worded as "
    "'work from home as much as possible', 'Werk thuis, tenzij het (echt) niet anders kan' or "
    "'urgent advice to work from home'; rows saying 'unchanged' keep the level before them). "
    "The wording itself is in `homeworking_advice_wording`. `event_date` is the day the source "
    "gives and `event_date_kind` says whether that is the announcement, the start, or both; "
    "`event_end_date` is filled only where an end is itself a published event (the curfew, the "
    "June 2021 relaxation, the February 2022 advice), and `event_announced_until` holds the "
    "'at least until' day announced for the December 2020 and December 2021 lockdowns. "
    "Missing: the calendar day of the early-November 2021 norm of at least half the time at "
    "home (the stored pages give only the month) and of the evening lockdown that NRC (26 "
    "November 2021) dates as 'from Sunday'; those rows have no event_date and are never given "
    "an invented day. The press conference of 'dinsdag 25 januari' is dated 25 January 2022 "
    "from the article's year. "
    "Contradictions: for 26 June 2021 NH Nieuws says the urgent advice was dropped, whereas "
    "Alpolis and NU.nl say it was relaxed to at most half of the time at the office (the row "
    "follows Alpolis); for 25 September 2021 an NH Nieuws headline says the advice disappears, "
    "whereas Omroep Brabant and Knack say it was reworded (the row follows Omroep Brabant). "
    "All rows come from news reports, a Belgian newspaper, a regional safety authority and "
    "Wikipedia, not from the government's own texts."
)

RESOURCES = [
    Resource(
        name="homeworking",
        title="Home working in the Netherlands: every published figure, by definition",
        title_nl="Thuiswerken in Nederland: alle gepubliceerde cijfers, naar definitie",
        description=_HOMEWORK_DESCRIPTION,
        fields=(
            "figure_id",
            "figure_producer",
            "cbs_table_id",
            "period",
            "period_start",
            "period_end",
            "group",
            "definition",
            "homework_indicator",
            "hours_band",
            "measure",
            "value",
            "value_low",
            "value_high",
            "value_as_published",
            "value_qualifier",
            "source_type",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("figure_id",),
        sources=(
            "cbs_83258ned",
            "cbs_82918ned",
            "cbs_85786ned",
            "cbs_news_2024_11",
            "cbs_news_2020_15",
            "cbs_news_2020_33",
            "news_nu_2018_cbs",
            "news_metro_2019_cbs",
            "news_nu_2020_cbs",
            "news_metro_2024_cbs",
            "news_arbo_online_cbs",
            "news_security_2020_cbs",
            "news_avm_2020_08_cbs",
            "news_computable_2020_cbs",
            "news_telegraaf_2020_cbs",
            "news_blikopnieuws_2024_cbs",
            "news_security_2024_cbs",
            "eurostat_news_2018",
            "eurostat_news_2018_mirror",
            "eurostat_lfs_quoted",
            "news_cyprusprofile_eurostat",
            "news_ot_2021_eurostat",
            "esap_eurostat_2020",
            "statista_eurostat_2023",
            "kim_2020_08",
            "randstad_kim_2020",
            "thuiswerk_cloud_kim_2020",
            "kim_2021_01",
            "news_nu_2021_kim",
            "news_nd_2022_kim",
            "tno_nea_covid_2020",
            "news_nu_2020_tno",
            "news_hrmorgen_2023_tno",
            "news_nd_2022_02",
        ),
        licences=("CC-BY-4.0", "Eurostat-reuse", "cited-facts"),
        caveats=(
            "series_break",
            "different_population",
            "secondary_source",
            "mirror_source",
            "verbal_quantity",
            "self_reported",
            "sources_disagree",
        ),
        overrides={
            "definition": {"enum": HOMEWORK_DEFINITIONS},
            "measure": {"enum": HOMEWORK_MEASURES},
            "figure_producer": {"required": True},
            "homework_indicator": {"required": True},
            "group": {"required": True},
            "cbs_table_id": {"enum": ("83258NED", "82918NED", "85786NED")},
        },
    ),
    Resource(
        name="homeworking_definitions",
        title="Home-working definitions: the years, table and ages each was asked in",
        title_nl="Definities van thuiswerken: jaren, tabel en leeftijden van elke vraag",
        description=(
            "One row per definition of `homeworking` whose years, StatLine table or ages the "
            "research extracts' notes and units state, so that the dashboard's labels ('CBS "
            "2013-2020', 'aged 15-64') come from the data rather than being typed. `stated_as` "
            "quotes the extract's words, which for CBS's 2013-2020 years are the research "
            "note on rows read in news items quoting CBS; `source_url` is the first row "
            "stating them, a producer's own page first. Every statement of one definition "
            "agrees (the curation checks it). `cbs_hours_at_home` carries the 2021 EBB "
            "definition because its rows' notes say so; the work address's years are those "
            "in the title of StatLine 82918NED. Definitions whose extracts state none of these "
            "(KiM, TNO, RIVM, Google, CBS's Q2 reference week) have no row."
        ),
        fields=(
            "definition",
            "figure_producer",
            "asked_from",
            "asked_until",
            "cbs_table_id",
            "age_min",
            "age_max",
            "stated_as",
            "source_url",
        ),
        primary_key=("definition",),
        sources=(
            "cbs_83258ned",
            "cbs_82918ned",
            "cbs_85786ned",
            "cbs_news_2024_11",
            "news_blikopnieuws_2024_cbs",
            "eurostat_news_2018_mirror",
            "statista_eurostat_2023",
        ),
        licences=("CC-BY-4.0", "Eurostat-reuse", "cited-facts"),
        caveats=("series_break", "mirror_source"),
        overrides={
            "definition": {"enum": HOMEWORK_DEFINITIONS},
            "figure_producer": {"required": True},
            "cbs_table_id": {"enum": ("83258NED", "82918NED", "85786NED")},
        },
    ),
    Resource(
        name="covid_timeline",
        title="Covid-19 measures and the home-working advice in the Netherlands, 2020-2022",
        title_nl="Coronamaatregelen en het thuiswerkadvies in Nederland, 2020-2022",
        description=_TIMELINE_DESCRIPTION,
        fields=(
            "event_id",
            "event_date",
            "event_date_kind",
            "event_date_as_published",
            "event_end_date",
            "event_announced_until",
            "event",
            "homeworking_advice",
            "homeworking_advice_wording",
            "source_type",
            "caveats",
            "source_url",
            "note",
        ),
        primary_key=("event_id",),
        sources=(
            "wikipedia_outbreak_nl",
            "news_nrc_2020_04",
            "news_volkskrant_2020",
            "sdu_2020_11",
            "news_avm_2020_12",
            "news_nieuwsnl_2021_04",
            "news_alpolis_2021_07",
            "news_omroepbrabant_2021_09",
            "news_nd_2021_11",
            "news_hbvl_2021_11",
            "news_nrc_2021_11",
            "news_nu_2021_12",
            "news_nd_2022_02",
            "news_nieuwsnl_2022_02",
            "vrk_2022_03",
            "news_blikopnieuws_2022_03",
        ),
        licences=("cited-facts",),
        caveats=("secondary_source", "regional", "sources_disagree"),
        overrides={
            "event_date_kind": {"required": True},
            "event_date_as_published": {"required": True},
            "event": {"required": True},
            "homeworking_advice": {"required": True},
        },
    ),
]
