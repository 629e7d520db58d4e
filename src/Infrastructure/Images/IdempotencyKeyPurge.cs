using Dapper;
using ImageCatalog.Domain.Images;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImageCatalog.Infrastructure.Images;

/// <summary>
/// Deletes the Idempotency-Keys older than <see cref="RegistrationRules.IdempotencyKeyRetention"/> once an hour, so a
/// key is kept between 24 and 25 hours. A failed purge (the database away) is logged and tried at the next tick.
/// </summary>
public sealed class IdempotencyKeyPurge(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<IdempotencyKeyPurge> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    private const string PurgeSql = "DELETE FROM idempotency_keys WHERE create_at < @Cutoff";

    /// <summary>Deletes the keys past the retention; returns how many went.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var cutoff = (clock.GetUtcNow() - RegistrationRules.IdempotencyKeyRetention).UtcDateTime;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(PurgeSql, new { Cutoff = cutoff }, cancellationToken: cancellationToken));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The schedule is wall-clock time; only the cutoff is the application's time (the one create_at was written in).
        // A test clock that jumps days would otherwise fire purges in the middle of unrelated tests.
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var purged = await PurgeAsync(stoppingToken);
                logger.LogInformation("Purged {Count} idempotency keys older than {Retention}", purged, RegistrationRules.IdempotencyKeyRetention);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(exception, "Purging idempotency keys failed; trying again in {Interval}", Interval);
            }
        }
    }
}
