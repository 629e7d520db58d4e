using Dapper;
using ImageCatalog.Infrastructure.ImageGroups;
using ImageCatalog.Infrastructure.Persistence;
using ImageCatalog.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Persistence;

/// <summary>The SQL side: the read model stays equal to the images it summarises, and the fuzzy match uses its index.</summary>
public sealed class ReadModelTests : ApiTest
{
    private const string GroupsFromScratch = """
        SELECT project_id, workspace_id, type, namespace, name,
               min(create_at) AS create_at, max(update_at) AS update_at, count(*)::int AS version_count
        FROM images GROUP BY project_id, workspace_id, type, namespace, name
        ORDER BY project_id NULLS FIRST, workspace_id, namespace, name
        """;

    private const string GroupsKept = """
        SELECT project_id, workspace_id, type, namespace, name, create_at, update_at, version_count
        FROM image_groups
        ORDER BY project_id NULLS FIRST, workspace_id, namespace, name
        """;

    [Test]
    public async Task After_registers_and_rejected_duplicates_the_groups_equal_an_aggregate_of_the_images()
    {
        var projects = new[] { NewProjectId(), NewProjectId() };
        var random = new Random(20261204);
        for (var i = 0; i < 150; i++)
        {
            var project = projects[random.Next(projects.Length)];
            var type = random.Next(5) == 0 ? "BUILD_IN" : null;
            var workspace = random.Next(4) == 0 ? "0123456789abcdef0123456789abcdef" : null;
            var path = $"swr.example.com/ns-{random.Next(3)}/image-{random.Next(6)}:v{random.Next(4)}";
            using var response = await PostImageAsync(project, new { swr_path = path, type, workspace_id = workspace });
            Assert.That((int)response.StatusCode, Is.AnyOf(201, 409));
            Tick(random.Next(1, 2000));
        }

        await using var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        var fromScratch = (await connection.QueryAsync(GroupsFromScratch)).Select(row => (string)Describe(row)).ToList();
        var kept = (await connection.QueryAsync(GroupsKept)).Select(row => (string)Describe(row)).ToList();

        Assert.That(kept, Is.EqualTo(fromScratch));
        Assert.That(kept, Has.Count.GreaterThan(10));
    }

    [Test]
    public async Task The_fuzzy_name_filter_is_served_by_the_trigram_index()
    {
        var project = NewProjectId();
        await using var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO image_groups (id, project_id, workspace_id, type, namespace, name, create_at, update_at, version_count)
            SELECT gen_random_uuid(), @Project, '0', 'DEDICATED', 'ns-' || (i % 50), 'image-' || md5(i::text),
                   now(), now() - i * interval '1 second', 1
            FROM generate_series(1, 20000) AS i;
            ANALYZE image_groups;
            """,
            new { Project = project });

        var plan = string.Join(
            "\n",
            await connection.QueryAsync<string>(
                $"EXPLAIN SELECT count(*) FROM ({GetImageGroupsHandler.FilteredGroups}) AS visible",
                new
                {
                    ProjectId = project,
                    WorkspaceId = "0",
                    IncludeDedicated = true,
                    IncludeBuiltIn = true,
                    Namespace = (string?)null,
                    ExactName = (string?)null,
                    NamePattern = LikePattern.Containing("c4ca42"),
                }));

        Assert.That(plan, Does.Contain("image_groups_name_trgm_idx"));
        Assert.That(plan, Does.Not.Contain("Seq Scan"));
    }

    [Test]
    public async Task Running_the_migrations_again_changes_nothing()
    {
        var migrator = TestEnvironment.Factory.Services.GetRequiredService<DatabaseMigrator>();
        await using var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        var before = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schemaversions");

        await migrator.MigrateAsync(CancellationToken.None);

        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schemaversions"), Is.EqualTo(before));
    }

    private static string Describe(dynamic row) =>
        $"{row.project_id}|{row.workspace_id}|{row.type}|{row.@namespace}|{row.name}|{row.create_at:O}|{row.update_at:O}|{row.version_count}";
}
