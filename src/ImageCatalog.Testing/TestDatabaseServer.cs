using DotNet.Testcontainers.Configurations;
using ImageCatalog.Infrastructure.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Testcontainers.PostgreSql;

namespace ImageCatalog.Testing;

/// <summary>
/// A real PostgreSQL for a test run: <c>IMAGECATALOG_TEST_DATABASE</c> when set (it will be wiped); else a
/// Testcontainers container when a Docker engine answers; else a throwaway cluster started with the installed
/// initdb/pg_ctl in a temp folder (as the <c>postgres</c> user when the run is root's), removed afterwards.
/// </summary>
public sealed class TestDatabaseServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "IMAGECATALOG_TEST_DATABASE";

    private readonly Func<ValueTask> _dispose;

    private TestDatabaseServer(string connectionString, string description, Func<ValueTask> dispose)
    {
        ConnectionString = connectionString;
        Description = description;
        _dispose = dispose;
    }

    public string ConnectionString { get; }

    public string Description { get; }

    /// <summary>The throwaway cluster, where this run started one; tests that need a second database use it.</summary>
    public PostgresCluster? Cluster { get; private init; }

    public static async Task<TestDatabaseServer> StartAsync(CancellationToken cancellationToken)
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new TestDatabaseServer(configured, $"{EnvironmentVariable}", () => ValueTask.CompletedTask);
        }

        if (TestcontainersSettings.OS.DockerEndpointAuthConfig is not null)
        {
            var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await container.StartAsync(cancellationToken);
            return new TestDatabaseServer(container.GetConnectionString(), "Testcontainers", container.DisposeAsync);
        }

        var folder = Path.Combine(Path.GetTempPath(), "imagecatalog-tests-" + Guid.NewGuid().ToString("N"));
        var cluster = new PostgresCluster(folder, port: 0, binDirectory: null, NullLogger.Instance) { Durable = false };
        await cluster.StartAsync(cancellationToken);
        await cluster.CreateDatabaseIfMissingAsync("imagecatalog_tests", cancellationToken);
        return new TestDatabaseServer(
            cluster.ConnectionString("imagecatalog_tests"),
            $"throwaway cluster in {folder}",
            async () =>
            {
                await cluster.StopAsync(CancellationToken.None);
                Directory.Delete(folder, recursive: true);
            })
        {
            Cluster = cluster,
        };
    }

    public ValueTask DisposeAsync() => _dispose();
}
