"""Data: the poll schema (:func:`surveykit.data.polls.read_polls`) and the shipped datasets."""
