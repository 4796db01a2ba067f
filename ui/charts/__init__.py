"""Pure plotly figure builders: plain data in, a figure out; tested without Streamlit."""
