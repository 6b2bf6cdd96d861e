"""Plotly figure builders, one module per page. They take data and already-translated labels and
return figures; they never import Streamlit."""
