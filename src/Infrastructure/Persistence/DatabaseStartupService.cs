using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>Applies migrations at start-up when configured to, and loads the demo data into an embedded database once.</summary>
public sealed class DatabaseStartupService(
    DatabaseMigrator migrator,
    NpgsqlDataSource dataSource,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseStartupService> logger) : IHostedService
{
    private const string DemoDataResource = "ImageCatalog.Infrastructure.Persistence.DemoData.demo-images.sql";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrateOnStartup)
        {
            await migrator.MigrateAsync(cancellationToken);
        }

        if (options.Value.UsesEmbeddedServer)
        {
            await LoadDemoDataAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task LoadDemoDataAsync(CancellationToken cancellationToken)
    {
        await using var stream = typeof(DatabaseStartupService).Assembly.GetManifestResourceStream(DemoDataResource)
            ?? throw new InvalidOperationException($"The resource {DemoDataResource} is missing.");
        using var reader = new StreamReader(stream);
        var sql = await reader.ReadToEndAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var loaded = await connection.ExecuteAsync(
            new CommandDefinition(sql, new { options.Value.DemoProjectId }, cancellationToken: cancellationToken));
        if (loaded > 0)
        {
            logger.LogInformation("Loaded {Count} demo images into project {ProjectId}", loaded, options.Value.DemoProjectId);
        }
    }
}
