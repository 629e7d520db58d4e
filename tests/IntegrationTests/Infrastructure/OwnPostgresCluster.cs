using ImageCatalog.Infrastructure.Persistence;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageCatalog.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of a test's own, for tests that stop or crash the server: created in a temporary folder with
/// the installed binaries and removed on dispose. Where the run's database did not come from those binaries the test
/// is ignored, saying why.
/// </summary>
public sealed class OwnPostgresCluster : IAsyncDisposable
{
    private const string DatabaseName = "imagecatalog";
    private readonly string _folder;

    private OwnPostgresCluster(PostgresCluster cluster, string folder)
    {
        Cluster = cluster;
        _folder = folder;
    }

    public PostgresCluster Cluster { get; }

    public string ConnectionString => Cluster.ConnectionString(DatabaseName);

    /// <summary>Starts the cluster; <paramref name="durable"/> keeps fsync and synchronous commit on.</summary>
    public static async Task<OwnPostgresCluster> StartAsync(bool durable)
    {
        if (TestEnvironment.Database.Cluster is null)
        {
            Assert.Ignore("Needs the PostgreSQL server binaries to stop or crash a cluster of its own; the test database came from "
                + $"{TestEnvironment.Database.Description}.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "imagecatalog-own-cluster-" + Guid.NewGuid().ToString("N"));
        var own = new OwnPostgresCluster(new PostgresCluster(folder, port: 0, binDirectory: null, NullLogger.Instance) { Durable = durable }, folder);
        try
        {
            await own.Cluster.StartAsync(CancellationToken.None);
            await own.Cluster.CreateDatabaseIfMissingAsync(DatabaseName, CancellationToken.None);
            return own;
        }
        catch
        {
            await own.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (await Cluster.IsRunningAsync(CancellationToken.None))
        {
            await Cluster.StopAsync(CancellationToken.None);
        }

        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
