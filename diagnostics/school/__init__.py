"""The school's side: roster, screening sessions, follow-up, settings, sync to the centre."""
