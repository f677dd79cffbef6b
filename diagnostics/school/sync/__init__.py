"""The school's end of sync: export, push, acknowledgements, the centre page."""
