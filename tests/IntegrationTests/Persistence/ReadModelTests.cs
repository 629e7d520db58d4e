using Dapper;
using ImageCatalog.Application.ImageGroups.GetImageGroups;
using ImageCatalog.Infrastructure.ImageGroups;
using ImageCatalog.Infrastructure.Persistence;
using ImageCatalog.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Persistence;

/// <summary>The SQL side: the read model stays equal to the images it summarises, and the fuzzy match uses its index.</summary>
public sealed class ReadModelTests : ApiTest
{
    private const string OtherWorkspace = "0123456789abcdef0123456789abcdef";

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
        Assert.That(await GroupCountDifferencesAsync(), Is.Empty, "the kept group counts");
    }

    [Test]
    public async Task Group_counts_follow_every_writer_including_plain_sql_and_truncate()
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/ns/by-the-api:1");
        await using var connection = new NpgsqlConnection(TestEnvironment.Database.ConnectionString);
        await connection.ExecuteAsync(
            """
            INSERT INTO image_groups (id, project_id, workspace_id, type, namespace, name, create_at, update_at, version_count)
            SELECT gen_random_uuid(), @Project, CASE WHEN i % 3 = 0 THEN @Workspace ELSE '0' END, 'DEDICATED', 'ns', 'bulk-' || i,
                   now(), now(), 1
            FROM generate_series(1, 300) AS i;
            INSERT INTO image_groups (id, project_id, workspace_id, type, namespace, name, create_at, update_at, version_count)
            SELECT gen_random_uuid(), NULL, '0', 'BUILD_IN', 'ns', 'built-in-' || i, now(), now(), 1
            FROM generate_series(1, 7) AS i;
            DELETE FROM image_groups WHERE name LIKE 'bulk-%' AND substr(name, 6)::int % 10 = 0;
            """,
            new { Project = project, Workspace = OtherWorkspace });

        var differences = await GroupCountDifferencesAsync();
        var total = (await GetGroupsAsync(project, "limit=1")).Total;
        var dedicatedInOtherWorkspace = (await GetGroupsAsync(project, $"type=DEDICATED&workspace_id={OtherWorkspace}&limit=1")).Total;
        await connection.ExecuteAsync("TRUNCATE images, image_groups");
        var keptAfterTruncate = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM image_group_counts");

        Assert.Multiple(() =>
        {
            Assert.That(differences, Is.Empty);
            // 300 bulk groups, 30 deleted, 90 of the rest in the other workspace; plus the API's group and 7 built-ins.
            Assert.That(total, Is.EqualTo(1 + 180 + 7));
            Assert.That(dedicatedInOtherWorkspace, Is.EqualTo(90));
            Assert.That(keptAfterTruncate, Is.Zero);
        });
    }

    [Test]
    public async Task The_fuzzy_name_filter_is_served_by_the_trigram_index_for_the_page_and_the_count()
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

        var query = new GetImageGroupsQuery(project, Name: "c4ca42");
        await connection.OpenAsync();
        await using var batch = await GetImageGroupsHandler.CreateBatchAsync(connection, query, CancellationToken.None);
        var plan = "";
        foreach (var statement in batch.BatchCommands)
        {
            await using var explain = new NpgsqlCommand("EXPLAIN " + statement.CommandText, connection);
            foreach (NpgsqlParameter parameter in statement.Parameters)
            {
                explain.Parameters.Add(parameter.Clone());
            }

            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                plan += reader.GetString(0) + "\n";
            }
        }

        Assert.Multiple(() =>
        {
            // Both statements: the page's matches and the count.
            Assert.That(plan.Split("image_groups_name_trgm_idx"), Has.Length.EqualTo(3), plan);
            Assert.That(plan, Does.Not.Contain("Seq Scan"), plan);
        });
    }

    [Test]
    public async Task Shapes_with_equality_filters_are_prepared_and_a_contained_name_never_is()
    {
        var prepared = await PreparedAfterEveryShapeAsync(prepareStatements: true);

        Assert.Multiple(() =>
        {
            // Four shapes of two statements each: the page, and the kept or the filtered count.
            Assert.That(prepared, Has.Count.EqualTo(8));
            Assert.That(prepared, Has.None.Contains("LIKE"));
            Assert.That(prepared, Has.Exactly(1).Contains("image_group_counts"));
        });
    }

    [Test]
    public async Task Behind_a_transaction_pooler_no_shape_is_prepared()
    {
        Assert.That(await PreparedAfterEveryShapeAsync(prepareStatements: false), Is.Empty);
    }

    /// <summary>
    /// Runs every group-page shape seven times (PostgreSQL would switch a prepared statement to its generic plan after
    /// five) through a handler on one connection, and answers the statements that session then holds prepared.
    /// </summary>
    private async Task<List<string>> PreparedAfterEveryShapeAsync(bool prepareStatements)
    {
        var project = NewProjectId();
        await RegisterAsync(project, "swr.example.com/ns/image:1");
        // One connection, so every call runs on the session whose prepared statements are inspected.
        var connectionString = new NpgsqlConnectionStringBuilder(TestEnvironment.Database.ConnectionString) { MaxPoolSize = 1 };
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var handler = new GetImageGroupsHandler(new QueryConnections(dataSource, null, prepareStatements));
        GetImageGroupsQuery[] queries =
        [
            new(project),
            new(project, Namespace: "ns"),
            new(project, Name: "image", NameFuzzyMatch: false),
            new(project, Name: "image", NameFuzzyMatch: false, Namespace: "ns"),
            new(project, Name: "mag"),
            new(project, Name: "mag", Namespace: "ns"),
        ];
        foreach (var query in queries)
        {
            for (var run = 0; run < 7; run++)
            {
                var page = await handler.Handle(query, CancellationToken.None);
                Assert.That(page.Total, Is.EqualTo(1), query.ToString());
            }
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        return [.. await connection.QueryAsync<string>("SELECT statement FROM pg_prepared_statements")];
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

    [Test]
    public async Task A_migration_leaves_its_pooled_session_with_the_service_s_statement_timeout()
    {
        // One pooled connection, which the migrator holds and the next request reuses: the pool does not reset it.
        var options = new DatabaseOptions { MaxPoolSize = 1 };
        await using var dataSource = NpgsqlDataSource.Create(options.ForService(TestEnvironment.Database.ConnectionString));
        var migrator = new DatabaseMigrator(
            dataSource, new DatabaseEndpoint(TestEnvironment.Database.ConnectionString),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DatabaseMigrator>.Instance);
        int migratorSession;
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            migratorSession = first.ProcessID;
        }

        await migrator.MigrateAsync(CancellationToken.None);

        await using var reused = await dataSource.OpenConnectionAsync();
        Assert.That(reused.ProcessID, Is.EqualTo(migratorSession), "the same server session");
        Assert.That(await reused.ExecuteScalarAsync<string>("SHOW statement_timeout"), Is.EqualTo("5s"));
    }

    private static string Describe(dynamic row) =>
        $"{row.project_id}|{row.workspace_id}|{row.type}|{row.@namespace}|{row.name}|{row.create_at:O}|{row.update_at:O}|{row.version_count}";
}
