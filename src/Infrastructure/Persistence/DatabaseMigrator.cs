using System.Globalization;
using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>
/// Applies the versioned scripts under <c>Persistence/Migrations</c> with DbUp, which records what ran in its
/// journal table. A session advisory lock makes replicas that start together take turns.
/// </summary>
public sealed class DatabaseMigrator(
    NpgsqlDataSource dataSource, DatabaseEndpoint endpoint, ILogger<DatabaseMigrator> logger, bool transactionPooling = false)
{
    // An arbitrary key, the same for every instance of this service.
    private const long MigrationLockKey = 0x1_3A6E_CA7A;
    private const string ScriptPrefix = "ImageCatalog.Infrastructure.Persistence.Migrations.";

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (transactionPooling)
        {
            throw new InvalidOperationException(
                "Migrations hold a session lock, which a pooler in transaction mode cannot keep: run the migrate command "
                + "against the primary directly, with Database:TransactionPooling=false.");
        }

        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Waiting for another instance's migration may take longer than the service's statement_timeout; the pool
        // does not reset connections (DatabaseOptions.ForService), so it is put back below for the requests that reuse this one.
        await using (var unlimited = new NpgsqlCommand("SET statement_timeout = 0", lockConnection))
        {
            await unlimited.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock($1)", lockConnection))
        {
            acquire.Parameters.Add(new() { Value = MigrationLockKey });
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(endpoint.ConnectionString)
                .WithScriptsEmbeddedInAssembly(
                    typeof(DatabaseMigrator).Assembly,
                    name => name.StartsWith(ScriptPrefix, StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogTo(new DbUpLog(logger))
                .Build();
            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Database migration failed in script {result.ErrorScript?.Name}.", result.Error);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", lockConnection);
            release.Parameters.Add(new() { Value = MigrationLockKey });
            await release.ExecuteNonQueryAsync(CancellationToken.None);
            await using var restore = new NpgsqlCommand("RESET statement_timeout", lockConnection);
            await restore.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private sealed class DbUpLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => Write(LogLevel.Trace, null, format, args);

        public void LogDebug(string format, params object[] args) => Write(LogLevel.Debug, null, format, args);

        public void LogInformation(string format, params object[] args) => Write(LogLevel.Information, null, format, args);

        public void LogWarning(string format, params object[] args) => Write(LogLevel.Warning, null, format, args);

        public void LogError(string format, params object[] args) => Write(LogLevel.Error, null, format, args);

        public void LogError(Exception ex, string format, params object[] args) => Write(LogLevel.Error, ex, format, args);

        // DbUp hands over composite format strings, not message templates.
        private void Write(LogLevel level, Exception? exception, string format, object[] args) =>
            logger.Log(level, exception, "{Message}", string.Format(CultureInfo.InvariantCulture, format, args));
    }
}
