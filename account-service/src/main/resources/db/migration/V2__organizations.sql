-- Organization names select accounts (X-Chaser-Account), so they are unique, case-insensitive.
CREATE UNIQUE INDEX accounts_organization_name ON accounts (lower(name)) WHERE type = 'organization';
CREATE INDEX memberships_user ON memberships (user_id);
