"""After the score (issue 13): follow-up actions, the Ombudsman's official results, readiness for the visit
window, reminders and the region simulator. Never imports streamlit."""
