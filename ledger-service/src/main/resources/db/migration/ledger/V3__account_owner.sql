-- Accounts belong to the API client that opened them (its OAuth2 client ID). Accounts opened before
-- ownership existed belong to nobody (NULL): only operators (scope `ops`) see them.
ALTER TABLE accounts ADD COLUMN owner text;
