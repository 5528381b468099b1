"""Pure figure builders: DataFrame in, `Chart` (plotly Figure + data + words) out.

No Streamlit here, so the notebooks and the tests use exactly the charts the dashboard shows.
"""

from dashboard.charts.common import Chart, plotly_config

__all__ = ["Chart", "plotly_config"]
