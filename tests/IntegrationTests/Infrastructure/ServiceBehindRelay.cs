using Npgsql;

namespace ImageCatalog.IntegrationTests.Infrastructure;

/// <summary>
/// A service instance of its own that reaches the test database through a <see cref="TcpProxy"/>, so a test can take
/// PostgreSQL away from it (and only from it) and give it back.
/// </summary>
public sealed class ServiceBehindRelay : IAsyncDisposable
{
    /// <param name="adjust">Changes to the service's connection string, such as a shorter connect timeout.</param>
    public ServiceBehindRelay(Action<NpgsqlConnectionStringBuilder>? adjust = null)
    {
        var database = new NpgsqlConnectionStringBuilder(TestEnvironment.Database.ConnectionString);
        Relay = new TcpProxy(database.Host!, database.Port);
        var throughRelay = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = Relay.Port };
        adjust?.Invoke(throughRelay);
        Service = new ImageCatalogFactory(throughRelay.ConnectionString, TestEnvironment.Clock);
    }

    public TcpProxy Relay { get; }

    public ImageCatalogFactory Service { get; }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Relay.DisposeAsync();
    }
}
