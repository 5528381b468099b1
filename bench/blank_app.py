"""The benchmarks' baseline: a title, one segmented control and one small Plotly chart that the
control changes (the issue's "blank app with one segmented control and one small Plotly chart").

Served with the same flags and config as the dashboard, so its load and rerun times are what
Streamlit and Plotly cost on this machine before any of the dashboard's own work. Two query
parameters make yardsticks beside it (never the targets' baseline): ``?widgets=all`` adds a
selectbox and a number input that change the chart too (a dropdown's click costs the browser more
than a segment's), ``?charts=N`` draws N such charts, all changed by the widgets.
"""

import plotly.graph_objects as go
import streamlit as st

st.title("Blank")
series = st.segmented_control("Series", ["a", "b"], default="a", required=True)
pick, scale = "x", 1
if st.query_params.get("widgets") == "all":
    pick = st.selectbox("Pick", ["x", "y"])
    scale = st.number_input("Scale", min_value=1, max_value=10, value=1)

offset = (1 if series == "b" else 0) + (2 if pick == "y" else 0)
values = [(v + offset) * scale for v in (3, 1, 4, 1, 5)]
charts = st.query_params.get("charts", "1")
for index in range(int(charts) if charts in {"1", "2", "3", "4", "5", "6"} else 1):
    figure = go.Figure(go.Bar(x=["p", "q", "r", "s", "t"], y=[v + index for v in values]))
    figure.update_layout(height=300, margin={"t": 20, "b": 20, "l": 20, "r": 20})
    st.plotly_chart(figure, theme=None, key=f"chart_{index}")
