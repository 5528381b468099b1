"""Overview: renders `dashboard.views.overview.view` with the clinic's protected aggregate."""

from dashboard import cached, url_state
from dashboard.cached import build
from dashboard.render import PageSlots
from dashboard.views import overview as page

lang = url_state.current_lang()
slots = PageSlots(page.CONTROLS)
slots.fill(build(page.view, lang, cached.public_outcomes()), lang)
