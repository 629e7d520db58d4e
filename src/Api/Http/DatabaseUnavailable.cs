using Npgsql;

namespace ImageCatalog.Api.Http;

/// <summary>
/// Database failures that are the service's temporary state, not the request's fault: the client gets a 503 with
/// <c>Retry-After</c>, never a 500, and may send the same request again.
/// </summary>
public static class DatabaseUnavailable
{
    public const string RetryAfterSeconds = "2";

    // 57014: canceled by statement_timeout.
    public static bool Is(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } or PostgresException { SqlState: PostgresErrorCodes.QueryCanceled };
}
