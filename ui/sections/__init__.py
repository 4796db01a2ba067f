"""Page sections: larger pieces of a page (region view, verification panel, follow-up parts, survey staff)."""
