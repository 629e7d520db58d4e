using Dapper;
using ImageCatalog.IntegrationTests.Infrastructure;
using ImageCatalog.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace ImageCatalog.IntegrationTests;

/// <summary>Starts PostgreSQL and the service once for the whole run (root namespace: it covers every test).</summary>
[SetUpFixture]
public sealed class TestEnvironment
{
    /// <summary>
    /// Set to 1, the shared service reaches the database through PgBouncer in transaction mode (Database:TransactionPooling),
    /// after migrating it directly; CI runs the HTTP test classes this way (.ci/run, docs/scaling.md).
    /// </summary>
    public const string ThroughPgBouncerVariable = "IMAGECATALOG_TEST_THROUGH_PGBOUNCER";

    private static TestDatabaseServer? _database;
    private static PgBouncer? _bouncer;
    private static ImageCatalogFactory? _factory;
    private static string? _resetSql;

    public static FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 15, 8, 0, 0, TimeSpan.Zero));

    public static TestDatabaseServer Database => _database ?? throw new InvalidOperationException("The test database is not started.");

    public static ImageCatalogFactory Factory => _factory ?? throw new InvalidOperationException("The service is not started.");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _database = await TestDatabaseServer.StartAsync(CancellationToken.None);
        await TestContext.Progress.WriteLineAsync($"PostgreSQL for tests: {_database.Description}");
        _factory = new ImageCatalogFactory(_database.ConnectionString, Clock);
        // Creating the server runs the service's start-up, migrations included.
        _ = _factory.Server;
        if (Environment.GetEnvironmentVariable(ThroughPgBouncerVariable) == "1")
        {
            await _factory.DisposeAsync();
            // Two server connections for the service's eight: its transactions keep changing server sessions.
            _bouncer = await PgBouncer.StartAsync(_database.ConnectionString, serverConnections: 2);
            await TestContext.Progress.WriteLineAsync("The service reaches PostgreSQL through PgBouncer in transaction mode");
            _factory = new ImageCatalogFactory(_bouncer.ConnectionString, Clock, builder =>
            {
                builder.UseSetting("Database:TransactionPooling", "true");
                builder.UseSetting("Database:MigrateOnStartup", "false");
            });
            _ = _factory.Server;
        }

        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        var tables = await connection.QueryAsync<string>(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schemaversions'");
        _resetSql = $"TRUNCATE {string.Join(", ", tables)} CASCADE";
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_bouncer is not null)
        {
            await _bouncer.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    /// <summary>Empties every table but the migration journal, so each test starts from a known state.</summary>
    public static async Task ResetDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.ExecuteAsync(_resetSql!);
        // The fake clock only moves forward; a day apart, no test sees another's times.
        Clock.Advance(TimeSpan.FromDays(1));
    }
}
