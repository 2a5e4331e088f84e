-- Opt-out index snapshots: an operator starts from the newest complete snapshot and then reads only
-- the opt-outs written after its cursor (optouts.seq), instead of every record.

-- CreateTable
CREATE TABLE "optout_snapshots" (
    "id" BIGSERIAL NOT NULL,
    "through_seq" BIGINT NOT NULL,
    "entries" BIGINT NOT NULL,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "parts" INTEGER NOT NULL DEFAULT 0,
    "complete" BOOLEAN NOT NULL DEFAULT false,
    "created" TIMESTAMPTZ(6) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "optout_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "optout_snapshot_parts" (
    "snapshot_id" BIGINT NOT NULL,
    "part" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "optout_snapshot_parts_pkey" PRIMARY KEY ("snapshot_id","part")
);

-- AddForeignKey
ALTER TABLE "optout_snapshot_parts" ADD CONSTRAINT "optout_snapshot_parts_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "optout_snapshots"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Snapshot bytes are random fingerprints: store them out of line without trying to compress them.
ALTER TABLE "optout_snapshot_parts" ALTER COLUMN "data" SET STORAGE EXTERNAL;
