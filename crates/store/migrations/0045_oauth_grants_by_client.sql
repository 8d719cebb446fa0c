-- A seller's Integrations page lists the OC ERP apps it authorised and revokes one app's grants:
-- both read a client's tokens, which without this index meant every client's tokens (an access
-- token a hour per app and client, kept a year).
CREATE INDEX oauth_tokens_client ON oauth_tokens (client_id, erp_app_id);
CREATE INDEX oauth_codes_client ON oauth_codes (client_id, erp_app_id);
