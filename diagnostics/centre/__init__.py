"""The regional centre: keys, enrolment, batch import, acknowledgements, the region."""
