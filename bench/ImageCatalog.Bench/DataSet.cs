using System.Diagnostics;
using Dapper;
using Npgsql;

namespace ImageCatalog.Bench;

/// <summary>
/// The benchmark data, generated inside PostgreSQL with generate_series. Every id, name and time is a function of
/// the row number and the seed, so a run can be reproduced exactly. image_groups is built from images with the
/// same aggregate the service keeps, so the read model is exact from the start.
/// </summary>
public sealed record DataSet(int Groups, int VersionsPerGroup, int Namespaces, int SmallProjects, int SmallProjectVersions, int BuiltInVersions)
{
    public const string ProjectA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public const string WorkspaceB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    /// <summary>The seed of every generated value; <see cref="Scenario"/> derives names from it too.</summary>
    public const int Seed = 20261204;

    /// <summary>Issue 5's data: project A with 100,000 groups x 10 versions, 100 small projects, 1,000 built-in versions.</summary>
    public static DataSet Full { get; } = new(100_000, 10, 50, 100, 10_000, 1_000);

    public static DataSet Smoke { get; } = new(2_000, 10, 50, 5, 200, 100);

    public long Versions => ((long)Groups * VersionsPerGroup) + ((long)SmallProjects * SmallProjectVersions) + BuiltInVersions;

    public static string SmallProject(int index) => $"{index:D4}".PadLeft(32, 'c');

    /// <summary>A project shaped like project A with <paramref name="groups"/> groups, for the cost-growth runs.</summary>
    public static string GrowthProject(int groups) => $"{groups}".PadLeft(32, 'e');

    /// <summary>Empties both tables and loads the set; the page-order and trigram indexes are rebuilt after the rows are in.</summary>
    public async Task<TimeSpan> LoadAsync(string connectionString, Action<string> progress)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("TRUNCATE images, image_groups CASCADE", commandTimeout: 600);
        var indexes = (await connection.QueryAsync<(string Name, string Definition)>(
            """
            SELECT indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename IN ('images', 'image_groups')
              AND indexname NOT LIKE '%pkey' AND indexname NOT LIKE '%key'
            """)).ToList();
        foreach (var (name, _) in indexes)
        {
            await connection.ExecuteAsync($"DROP INDEX {name}");
        }

        // The groups are built from the images below, so the images' foreign key is checked by construction, not by
        // triggers (the benchmark's own cluster, where it is superuser).
        await connection.ExecuteAsync("SET session_replication_role = replica");
        progress($"loading project A: {Groups:N0} groups x {VersionsPerGroup} versions");
        await InsertImagesAsync(connection, ProjectA, Groups, VersionsPerGroup, Namespaces, "DEDICATED", Seed);
        progress($"loading {SmallProjects} small projects of {SmallProjectVersions:N0} versions");
        for (var i = 0; i < SmallProjects; i++)
        {
            await InsertImagesAsync(connection, SmallProject(i), SmallProjectVersions / 10, 10, 10, "DEDICATED", Seed + i + 1);
        }

        progress($"loading {BuiltInVersions:N0} built-in versions");
        await InsertImagesAsync(connection, null, BuiltInVersions / 10, 10, 5, "BUILD_IN", Seed - 1);
        progress("building image_groups and the indexes");
        // Triggers on again: image_groups' own keep the group counts.
        await connection.ExecuteAsync("SET session_replication_role = DEFAULT");
        await connection.ExecuteAsync(
            """
            INSERT INTO image_groups (id, project_id, workspace_id, type, namespace, name, create_at, update_at, version_count)
            SELECT group_id, project_id, workspace_id, type, namespace, name, min(create_at), max(update_at), count(*)
            FROM images GROUP BY group_id, project_id, workspace_id, type, namespace, name
            """,
            commandTimeout: 1200);
        foreach (var (_, definition) in indexes)
        {
            await connection.ExecuteAsync(definition, commandTimeout: 1200);
        }

        await connection.ExecuteAsync("VACUUM ANALYZE images", commandTimeout: 1200);
        await connection.ExecuteAsync("VACUUM ANALYZE image_groups", commandTimeout: 1200);
        return watch.Elapsed;
    }

    /// <summary>
    /// Adds a project like project A (same seed, so the same names) with <paramref name="groups"/> groups to a loaded
    /// database, with its groups; the indexes stay in place.
    /// </summary>
    public async Task AddProjectAsync(string connectionString, string project, int groups)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // As in LoadAsync: the images' foreign key holds by construction once the groups are built from them.
        await connection.ExecuteAsync("SET session_replication_role = replica");
        await InsertImagesAsync(connection, project, groups, VersionsPerGroup, Namespaces, "DEDICATED", Seed);
        await connection.ExecuteAsync("SET session_replication_role = DEFAULT");
        await connection.ExecuteAsync(
            """
            INSERT INTO image_groups (id, project_id, workspace_id, type, namespace, name, create_at, update_at, version_count)
            SELECT group_id, project_id, workspace_id, type, namespace, name, min(create_at), max(update_at), count(*)
            FROM images WHERE project_id = @Project
            GROUP BY group_id, project_id, workspace_id, type, namespace, name
            """,
            new { Project = project },
            commandTimeout: 1200);
        await connection.ExecuteAsync("VACUUM ANALYZE image_groups", commandTimeout: 1200);
    }

    // Group g of a project: namespace ns-(g % namespaces), name image-<g>-<6 hex of md5(seed, g)>; its versions are
    // v1..vN; every second group lives in workspace 0, the others in WorkspaceB (built-ins all in 0).
    private static Task InsertImagesAsync(
        NpgsqlConnection connection, string? project, int groups, int versions, int namespaces, string type, int seed) =>
        connection.ExecuteAsync(
            """
            INSERT INTO images (id, group_id, project_id, workspace_id, type, namespace, name, tag, swr_path, status, arch,
                                origin, service_type, visibility, resource_categories, dev_services, tags, create_at, update_at)
            SELECT md5(@Scope || ':' || g || ':' || v)::uuid,
                   md5(@Scope || ':' || g)::uuid,
                   @Project,
                   CASE WHEN @Project IS NULL OR g % 2 = 0 THEN '0' ELSE @WorkspaceB END,
                   @Type,
                   'ns-' || (g % @Namespaces),
                   'image-' || g || '-' || substr(md5(@Seed || ':' || g), 1, 6),
                   'v' || v,
                   'swr.example.com/ns-' || (g % @Namespaces) || '/image-' || g || '-' || substr(md5(@Seed || ':' || g), 1, 6) || ':v' || v,
                   'ACTIVE', 'X86_64', 'CUSTOMIZE', 'UNKNOWN', 'PRIVATE', '{CPU}', '{}', '{}',
                   timestamptz '2026-01-01' + g * interval '1 second' + v * interval '1 minute',
                   timestamptz '2026-01-01' + g * interval '1 second' + v * interval '1 minute'
                       + ((hashtext(@Seed || ':' || g) & 1023) * interval '1 second')
            FROM generate_series(1, @Groups) AS g, generate_series(1, @Versions) AS v
            """,
            new { Scope = project ?? "built-in", Project = project, WorkspaceB, Type = type, Namespaces = namespaces, Seed = seed.ToString(System.Globalization.CultureInfo.InvariantCulture), Groups = groups, Versions = versions },
            commandTimeout: 1200);
}
