using ImageCatalog.Application.Common;
using Npgsql;

namespace ImageCatalog.Infrastructure.Persistence;

/// <summary>
/// Where the query handlers open their connections. An eventual read goes to the read replicas when
/// <c>Database:ReadConnectionString</c> names them, anything else to the primary, the data source the commands use.
/// Npgsql's multi-host data source picks a standby that answers and, when none does, the primary listed beside them.
/// </summary>
public sealed class QueryConnections(NpgsqlDataSource primary, NpgsqlDataSource? replicas, bool prepareStatements) : IAsyncDisposable
{
    /// <summary>False behind a pooler in transaction mode, where a statement prepared in one transaction is gone in the next.</summary>
    public bool PrepareStatements { get; } = prepareStatements;

    public ValueTask<NpgsqlConnection> OpenAsync(ReadConsistency consistency, CancellationToken cancellationToken) =>
        (consistency == ReadConsistency.Eventual && replicas is not null ? replicas : primary).OpenConnectionAsync(cancellationToken);

    // The primary's data source belongs to the container; the replicas' only to this.
    public ValueTask DisposeAsync() => replicas?.DisposeAsync() ?? ValueTask.CompletedTask;
}
