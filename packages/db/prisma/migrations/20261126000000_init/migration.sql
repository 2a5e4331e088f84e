-- UID2 operator schema, version 1. Hand-written to match prisma/schema.prisma (Prisma's own
-- layout and names), plus what Prisma cannot express: CHECK constraints, a partial unique index,
-- and the change-log triggers (see the end of the file).

-- CreateTable
CREATE TABLE "db_meta" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "db_meta_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "sites" (
    "id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "domain_names" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "app_names" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created" BIGINT NOT NULL,

    CONSTRAINT "sites_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "key_id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "key_salt" TEXT NOT NULL,
    "secret_enc" BYTEA NOT NULL,
    "roles" TEXT[],
    "site_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "contact" TEXT NOT NULL DEFAULT '',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "service_id" INTEGER NOT NULL DEFAULT 0,
    "created" BIGINT NOT NULL,

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("key_id")
);

-- CreateTable
CREATE TABLE "keysets" (
    "keyset_id" INTEGER NOT NULL,
    "site_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "allowed_sites" INTEGER[],
    "is_default" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created" BIGINT NOT NULL,

    CONSTRAINT "keysets_pkey" PRIMARY KEY ("keyset_id")
);

-- CreateTable
CREATE TABLE "encryption_keys" (
    "id" INTEGER NOT NULL,
    "keyset_id" INTEGER NOT NULL,
    "secret_enc" BYTEA NOT NULL,
    "created" BIGINT NOT NULL,
    "activates" BIGINT NOT NULL,
    "expires" BIGINT NOT NULL,

    CONSTRAINT "encryption_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "salt_metadata" (
    "id" SMALLINT NOT NULL DEFAULT 1,
    "first_level_salt_enc" BYTEA NOT NULL,
    "id_prefix" TEXT NOT NULL,
    "id_secret_enc" BYTEA NOT NULL,
    "bucket_count" INTEGER NOT NULL,
    "created" BIGINT NOT NULL,

    CONSTRAINT "salt_metadata_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "salt_buckets" (
    "idx" INTEGER NOT NULL,
    "bucket_id" TEXT NOT NULL,
    "last_updated_ms" BIGINT NOT NULL,
    "refresh_from_ms" BIGINT NOT NULL,
    "current_key_id" INTEGER,
    "previous_key_id" INTEGER,
    "secrets_nonce" BYTEA NOT NULL,
    "secrets_enc" BYTEA NOT NULL,
    "change_id" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "salt_buckets_pkey" PRIMARY KEY ("idx")
);

-- CreateTable
CREATE TABLE "optouts" (
    "first_level_hash" BYTEA NOT NULL,
    "scope" SMALLINT NOT NULL,
    "identity_type" SMALLINT NOT NULL,
    "advertising_id" BYTEA,
    "opted_out_at" BIGINT NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "optouts_pkey" PRIMARY KEY ("first_level_hash","scope")
);

-- CreateTable
CREATE TABLE "client_keypairs" (
    "subscription_id" TEXT NOT NULL,
    "site_id" INTEGER NOT NULL,
    "public_key" TEXT NOT NULL,
    "private_key_enc" BYTEA NOT NULL,
    "name" TEXT NOT NULL DEFAULT '',
    "contact" TEXT NOT NULL DEFAULT '',
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "created" BIGINT NOT NULL,

    CONSTRAINT "client_keypairs_pkey" PRIMARY KEY ("subscription_id")
);

-- CreateTable
CREATE TABLE "change_log" (
    "id" BIGSERIAL NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_key" TEXT,
    "op" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "change_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- CreateIndex
CREATE INDEX "api_keys_site_id_idx" ON "api_keys"("site_id");

-- CreateIndex
CREATE INDEX "keysets_site_id_idx" ON "keysets"("site_id");

-- CreateIndex
CREATE INDEX "encryption_keys_keyset_id_idx" ON "encryption_keys"("keyset_id");

-- CreateIndex
CREATE INDEX "salt_buckets_change_id_idx" ON "salt_buckets"("change_id");

-- CreateIndex
CREATE UNIQUE INDEX "optouts_seq_key" ON "optouts"("seq");

-- CreateIndex
CREATE INDEX "optouts_advertising_id_idx" ON "optouts"("advertising_id");

-- CreateIndex
CREATE UNIQUE INDEX "client_keypairs_public_key_key" ON "client_keypairs"("public_key");

-- CreateIndex
CREATE INDEX "client_keypairs_site_id_idx" ON "client_keypairs"("site_id");

-- AddForeignKey
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "encryption_keys" ADD CONSTRAINT "encryption_keys_keyset_id_fkey" FOREIGN KEY ("keyset_id") REFERENCES "keysets"("keyset_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "client_keypairs" ADD CONSTRAINT "client_keypairs_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "sites"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Not expressible in schema.prisma
-- ---------------------------------------------------------------------------------------------

-- Invariants the stores rely on.
ALTER TABLE "salt_metadata" ADD CONSTRAINT "salt_metadata_singleton" CHECK ("id" = 1);
ALTER TABLE "salt_metadata" ADD CONSTRAINT "salt_metadata_bucket_count_positive" CHECK ("bucket_count" > 0);
ALTER TABLE "salt_buckets" ADD CONSTRAINT "salt_buckets_nonce_length" CHECK (octet_length("secrets_nonce") = 12);
ALTER TABLE "optouts" ADD CONSTRAINT "optouts_first_level_hash_length" CHECK (octet_length("first_level_hash") = 32);
ALTER TABLE "optouts" ADD CONSTRAINT "optouts_advertising_id_length" CHECK ("advertising_id" IS NULL OR octet_length("advertising_id") IN (32, 33));
ALTER TABLE "optouts" ADD CONSTRAINT "optouts_scope_valid" CHECK ("scope" IN (0, 1));
ALTER TABLE "optouts" ADD CONSTRAINT "optouts_identity_type_valid" CHECK ("identity_type" IN (0, 1));

-- At most one enabled default keyset per site (spec/internals.md §4.3: more than one is an error).
CREATE UNIQUE INDEX "keysets_one_default_per_site" ON "keysets"("site_id") WHERE "is_default" AND "enabled";

-- Change log: one row per write STATEMENT (never per row, so bulk loads stay cheap), announced with
-- NOTIFY uid2_changes '{"id":…,"entity":…}' in the same transaction. `entity_key` is the key of the
-- row when the statement touched exactly one row, else NULL ("reload this entity"); salt metadata
-- writes use the key 'metadata'. salt_buckets and optouts have no trigger: their stores append one
-- row per batch themselves (and stamp salt_buckets.change_id with it).
CREATE FUNCTION "uid2_log_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    keys TEXT[];
    change_id BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN
        EXECUTE format('SELECT array_agg(k) FROM (SELECT (%s)::text AS k FROM old_rows LIMIT 2) s', TG_ARGV[1]) INTO keys;
    ELSE
        EXECUTE format('SELECT array_agg(k) FROM (SELECT (%s)::text AS k FROM new_rows LIMIT 2) s', TG_ARGV[1]) INTO keys;
    END IF;
    IF keys IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO "change_log" ("entity", "entity_key", "op")
        VALUES (TG_ARGV[0], CASE WHEN cardinality(keys) = 1 THEN keys[1] END, lower(TG_OP))
        RETURNING "id" INTO change_id;
    PERFORM pg_notify('uid2_changes', jsonb_build_object('id', change_id, 'entity', TG_ARGV[0])::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER "sites_log_insert" AFTER INSERT ON "sites" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('site', 'id');
CREATE TRIGGER "sites_log_update" AFTER UPDATE ON "sites" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('site', 'id');
CREATE TRIGGER "sites_log_delete" AFTER DELETE ON "sites" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('site', 'id');

CREATE TRIGGER "api_keys_log_insert" AFTER INSERT ON "api_keys" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('api_key', 'key_id');
CREATE TRIGGER "api_keys_log_update" AFTER UPDATE ON "api_keys" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('api_key', 'key_id');
CREATE TRIGGER "api_keys_log_delete" AFTER DELETE ON "api_keys" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('api_key', 'key_id');

CREATE TRIGGER "keysets_log_insert" AFTER INSERT ON "keysets" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('keyset', 'keyset_id');
CREATE TRIGGER "keysets_log_update" AFTER UPDATE ON "keysets" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('keyset', 'keyset_id');
CREATE TRIGGER "keysets_log_delete" AFTER DELETE ON "keysets" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('keyset', 'keyset_id');

CREATE TRIGGER "encryption_keys_log_insert" AFTER INSERT ON "encryption_keys" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('key', 'id');
CREATE TRIGGER "encryption_keys_log_update" AFTER UPDATE ON "encryption_keys" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('key', 'id');
CREATE TRIGGER "encryption_keys_log_delete" AFTER DELETE ON "encryption_keys" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('key', 'id');

CREATE TRIGGER "salt_metadata_log_insert" AFTER INSERT ON "salt_metadata" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('salt', '''metadata''');
CREATE TRIGGER "salt_metadata_log_update" AFTER UPDATE ON "salt_metadata" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('salt', '''metadata''');
CREATE TRIGGER "salt_metadata_log_delete" AFTER DELETE ON "salt_metadata" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('salt', '''metadata''');

CREATE TRIGGER "client_keypairs_log_insert" AFTER INSERT ON "client_keypairs" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('keypair', 'subscription_id');
CREATE TRIGGER "client_keypairs_log_update" AFTER UPDATE ON "client_keypairs" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('keypair', 'subscription_id');
CREATE TRIGGER "client_keypairs_log_delete" AFTER DELETE ON "client_keypairs" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "uid2_log_change"('keypair', 'subscription_id');
