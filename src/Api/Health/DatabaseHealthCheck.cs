using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace ImageCatalog.Api.Health;

/// <summary>Readiness: one round trip on the service's own pool, so it fails exactly when requests would.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            // The reason goes to the log, not to the probe's caller.
            return HealthCheckResult.Unhealthy("database unreachable", exception);
        }
    }
}
