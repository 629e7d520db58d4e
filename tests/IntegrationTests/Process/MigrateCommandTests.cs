using Dapper;
using Npgsql;

namespace ImageCatalog.IntegrationTests.Process;

/// <summary><c>ImageCatalog.Api migrate</c> applies the versioned scripts to the configured database, once.</summary>
public sealed class MigrateCommandTests
{
    [Test]
    public async Task Migrate_creates_the_schema_and_a_second_run_changes_nothing()
    {
        var database = "migrate_" + Guid.NewGuid().ToString("N");
        var admin = new NpgsqlConnectionStringBuilder(TestEnvironment.Database.ConnectionString);
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.ExecuteAsync($"CREATE DATABASE {database}");
        }

        var target = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database, Pooling = false }.ConnectionString;
        try
        {
            var environment = new Dictionary<string, string> { ["Database__ConnectionString"] = target };

            var first = await ServiceProcess.RunToEndAsync(environment, "migrate");
            var second = await ServiceProcess.RunToEndAsync(environment, "migrate");

            Assert.That(first.ExitCode, Is.Zero, first.Output);
            Assert.That(second.ExitCode, Is.Zero, second.Output);
            await using var connection = new NpgsqlConnection(target);
            var tables = await connection.QueryAsync<string>(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
            var journal = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM schemaversions");
            Assert.That(tables, Is.EqualTo(new[] { "data_loads", "idempotency_keys", "image_group_counts", "image_groups", "images", "schemaversions" }));
            var scripts = typeof(ImageCatalog.Infrastructure.Persistence.DatabaseMigrator).Assembly.GetManifestResourceNames()
                .Count(name => name.Contains(".Persistence.Migrations.", StringComparison.Ordinal));
            Assert.That(scripts, Is.GreaterThanOrEqualTo(2));
            Assert.That(journal, Is.EqualTo(scripts), "each script is recorded once");
            Assert.That(second.Output, Does.Contain("No new scripts need to be executed"));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    [Test]
    public async Task Migrate_against_an_unreachable_database_exits_non_zero()
    {
        var environment = new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=2",
        };

        var (exitCode, output) = await ServiceProcess.RunToEndAsync(environment, "migrate");

        Assert.That(exitCode, Is.Not.Zero, output);
    }
}
