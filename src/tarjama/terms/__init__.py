"""Names, terms and months: what a reader notices at once when a translation gets it wrong.

``arabic``: how a term is matched (tarjama's normalisation and the attached clitics);
``months``: dual month names resolved before translation; ``glossary``: a user's fixed renderings,
guaranteed in the English; ``names``: one rendering of a name throughout a document;
``varieties``: sentences in Arabizi or heavy with dialect.
"""
