using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>
/// With no connection string configured, the service runs its own PostgreSQL under
/// <see cref="DatabaseOptions.DataDirectory"/>: started before anything touches the database, stopped last.
/// </summary>
public sealed class EmbeddedPostgresService(PostgresCluster cluster, ILogger<EmbeddedPostgresService> logger) : IHostedService
{
    public const string DatabaseName = "imagecatalog";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await cluster.StartAsync(cancellationToken);
        await cluster.CreateDatabaseIfMissingAsync(DatabaseName, cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Stopping the embedded PostgreSQL");
        await cluster.StopAsync(CancellationToken.None);
    }
}
