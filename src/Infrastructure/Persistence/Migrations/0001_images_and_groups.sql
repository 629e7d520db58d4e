-- Images (the write model) and image_groups (the read model of ListImageGroup), kept exact by every
-- write in the same transaction. A built-in image has no project (project_id IS NULL) and workspace '0'.
-- Names sort with the "C" collation so that order is byte order whatever the database's locale.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE image_groups (
    id            uuid        PRIMARY KEY,
    project_id    text,
    workspace_id  text        NOT NULL,
    type          text        NOT NULL CHECK (type IN ('BUILD_IN', 'DEDICATED')),
    namespace     text        COLLATE "C" NOT NULL,
    name          text        COLLATE "C" NOT NULL,
    create_at     timestamptz NOT NULL,
    update_at     timestamptz NOT NULL,
    version_count integer     NOT NULL CHECK (version_count > 0),
    read_me       text,
    CHECK ((type = 'BUILD_IN') = (project_id IS NULL)),
    CONSTRAINT image_groups_scope_key UNIQUE NULLS NOT DISTINCT (project_id, workspace_id, namespace, name)
);

-- The page order of ListImageGroup, one index per visibility branch.
CREATE INDEX image_groups_dedicated_page_idx
    ON image_groups (project_id, workspace_id, update_at DESC, namespace, name)
    WHERE project_id IS NOT NULL;
CREATE INDEX image_groups_built_in_page_idx
    ON image_groups (update_at DESC, namespace, name)
    WHERE project_id IS NULL;
CREATE INDEX image_groups_name_idx ON image_groups (name);
-- Fuzzy name match is a substring LIKE, which a trigram index serves. fastupdate is off: with it, new
-- entries wait in a pending list that every search must scan until a vacuum, and a few thousand
-- registers make the planner abandon the index for a sequential scan.
CREATE INDEX image_groups_name_trgm_idx ON image_groups USING gin (name gin_trgm_ops) WITH (fastupdate = off);

CREATE TABLE images (
    id                  uuid        PRIMARY KEY,
    group_id            uuid        NOT NULL REFERENCES image_groups (id),
    project_id          text,
    workspace_id        text        NOT NULL,
    type                text        NOT NULL CHECK (type IN ('BUILD_IN', 'DEDICATED')),
    namespace           text        COLLATE "C" NOT NULL,
    name                text        COLLATE "C" NOT NULL,
    tag                 text        COLLATE "C" NOT NULL,
    swr_path            text        NOT NULL,
    status              text        NOT NULL CHECK (status IN ('ACTIVE', 'DELETED')),
    arch                text        NOT NULL,
    origin              text        NOT NULL,
    service_type        text        NOT NULL,
    visibility          text        NOT NULL,
    resource_categories text[]      NOT NULL,
    dev_services        text[]      NOT NULL,
    tags                text[]      NOT NULL,
    description         text,
    read_me             text,
    size                bigint,
    create_at           timestamptz NOT NULL,
    update_at           timestamptz NOT NULL,
    CHECK ((type = 'BUILD_IN') = (project_id IS NULL)),
    CONSTRAINT images_scope_swr_path_key UNIQUE NULLS NOT DISTINCT (project_id, workspace_id, swr_path)
);

CREATE INDEX images_group_idx ON images (group_id);

-- Marks one-off data loads (the demo data set) so that they run once per database.
CREATE TABLE data_loads (
    name      text        PRIMARY KEY,
    loaded_at timestamptz NOT NULL DEFAULT now()
);
