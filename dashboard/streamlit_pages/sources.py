"""Sources & methods: renders `dashboard.views.sources.view`."""

from dashboard.render import PageSlots
from dashboard.url_state import current_lang
from dashboard.views import sources as page

lang = current_lang()
PageSlots(page.CONTROLS).fill(page.view(lang), lang)
