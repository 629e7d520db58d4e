-- ListImageGroup's exact total without counting: the number of groups per scope (a project's workspace, or the
-- built-in groups with project_id NULL), kept by statement-level triggers in the writing transaction itself, so
-- every writer (the service, a bulk load, a manual fix) keeps it exact.
CREATE TABLE image_group_counts (
    project_id   text,
    workspace_id text   NOT NULL,
    group_count  bigint NOT NULL CHECK (group_count >= 0),
    CONSTRAINT image_group_counts_scope_key UNIQUE NULLS NOT DISTINCT (project_id, workspace_id)
);

INSERT INTO image_group_counts (project_id, workspace_id, group_count)
SELECT project_id, workspace_id, count(*) FROM image_groups GROUP BY project_id, workspace_id;

CREATE FUNCTION image_group_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO image_group_counts AS c (project_id, workspace_id, group_count)
    SELECT project_id, workspace_id, count(*) FROM added_groups GROUP BY project_id, workspace_id
    ON CONFLICT ON CONSTRAINT image_group_counts_scope_key
    DO UPDATE SET group_count = c.group_count + EXCLUDED.group_count;
    RETURN NULL;
END $$;

CREATE FUNCTION image_group_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE image_group_counts AS c
    SET group_count = c.group_count - removed.group_count
    FROM (SELECT project_id, workspace_id, count(*) AS group_count
          FROM removed_groups GROUP BY project_id, workspace_id) AS removed
    WHERE c.project_id IS NOT DISTINCT FROM removed.project_id AND c.workspace_id = removed.workspace_id;
    RETURN NULL;
END $$;

CREATE FUNCTION image_group_counts_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM image_group_counts;
    RETURN NULL;
END $$;

CREATE TRIGGER image_groups_count_added AFTER INSERT ON image_groups
    REFERENCING NEW TABLE AS added_groups FOR EACH STATEMENT EXECUTE FUNCTION image_group_counts_add();
CREATE TRIGGER image_groups_count_removed AFTER DELETE ON image_groups
    REFERENCING OLD TABLE AS removed_groups FOR EACH STATEMENT EXECUTE FUNCTION image_group_counts_remove();
CREATE TRIGGER image_groups_count_cleared AFTER TRUNCATE ON image_groups
    FOR EACH STATEMENT EXECUTE FUNCTION image_group_counts_clear();

-- The page order is total within a branch only if every built-in group lives in workspace '0', as the service
-- writes them: (update_at, namespace, name) is then unique per branch, and the branch breaks the last tie.
ALTER TABLE image_groups ADD CONSTRAINT image_groups_built_in_workspace_check
    CHECK (project_id IS NOT NULL OR workspace_id = '0');

-- The page-order indexes cover the page's keys (INCLUDE id), so a page, and the rows skipped by an offset, are an
-- index-only walk; the full rows are fetched for the page alone. A namespace filter walks its own index in page
-- order and counts from it without touching the table.
DROP INDEX image_groups_dedicated_page_idx;
DROP INDEX image_groups_built_in_page_idx;
CREATE INDEX image_groups_dedicated_page_idx
    ON image_groups (project_id, workspace_id, update_at DESC, namespace, name) INCLUDE (id)
    WHERE project_id IS NOT NULL;
CREATE INDEX image_groups_built_in_page_idx
    ON image_groups (update_at DESC, namespace, name) INCLUDE (id)
    WHERE project_id IS NULL;
CREATE INDEX image_groups_dedicated_namespace_idx
    ON image_groups (project_id, workspace_id, namespace, update_at DESC, name) INCLUDE (id)
    WHERE project_id IS NOT NULL;
