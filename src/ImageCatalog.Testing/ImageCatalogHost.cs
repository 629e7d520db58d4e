using System.Security.Cryptography;
using ImageCatalog.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ImageCatalog.Testing;

/// <summary>
/// A real ImageCatalog for another service's tests: the service itself, in process, on Kestrel at a loopback URL (so the
/// service under test can be pointed at it), with a real PostgreSQL of its own (<see cref="TestDatabaseServer"/>).
/// It trusts tokens from a key made for the run, so <see cref="CreateClient"/> hands out clients authenticated for one
/// project and role. Seed with <see cref="Seed"/>; dispose to stop the service and remove the database.
/// </summary>
public sealed class ImageCatalogHost : IAsyncDisposable
{
    private const string Issuer = "https://imagecatalog.testing";
    private const string Audience = "imagecatalog";

    private readonly TestDatabaseServer _database;
    private readonly Factory _factory;
    private readonly RSA _key;
    private readonly string _keyFile;

    private ImageCatalogHost(TestDatabaseServer database, Factory factory, RSA key, string keyFile)
    {
        _database = database;
        _factory = factory;
        _key = key;
        _keyFile = keyFile;
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        BaseAddress = new Uri(addresses.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    /// <summary>Where the service listens (http://127.0.0.1:port/).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The database's connection string, for tests that look underneath.</summary>
    public string ConnectionString => _database.ConnectionString;

    public static async Task<ImageCatalogHost> StartAsync(CancellationToken cancellationToken = default)
    {
        var database = await TestDatabaseServer.StartAsync(cancellationToken);
        var key = RSA.Create(2048);
        var keyFile = Path.Combine(Path.GetTempPath(), $"imagecatalog-testing-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(keyFile, key.ExportSubjectPublicKeyInfoPem(), cancellationToken);
        var factory = new Factory(database.ConnectionString, keyFile);
        try
        {
            factory.UseKestrel(0);
            factory.StartServer();
            return new ImageCatalogHost(database, factory, key, keyFile);
        }
        catch
        {
            await factory.DisposeAsync();
            await database.DisposeAsync();
            File.Delete(keyFile);
            key.Dispose();
            throw;
        }
    }

    /// <summary>A project id of the contract's shape (32 hex digits), new for each call.</summary>
    public static string NewProjectId() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// An <see cref="HttpClient"/> on <see cref="BaseAddress"/> whose requests carry a token for <paramref name="projectId"/>
    /// only, with <paramref name="role"/> (reader, writer or operator).
    /// </summary>
    public HttpClient CreateClient(string projectId, string role = "writer") =>
        new(new TokenAuthenticationHandler(IssueToken(projectId, role)) { InnerHandler = new HttpClientHandler() }) { BaseAddress = BaseAddress };

    /// <summary>The typed client over <see cref="CreateClient"/>.</summary>
    public ImageCatalogClient CreateCatalogClient(string projectId, string role = "writer") => new(CreateClient(projectId, role));

    /// <summary>Seeds <paramref name="projectId"/> through the API: what is built is registered by <see cref="ProjectSeed.RunAsync"/>.</summary>
    public ProjectSeed Seed(string projectId) => new(CreateCatalogClient(projectId), projectId);

    /// <summary>A token for <paramref name="projectId"/> and <paramref name="role"/>, valid for an hour.</summary>
    public string IssueToken(string projectId, string role = "writer") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(_key), SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object> { ["sub"] = "imagecatalog-testing", ["projects"] = new[] { projectId }, ["roles"] = new[] { role } },
        });

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        File.Delete(_keyFile);
        _key.Dispose();
    }

    private sealed class Factory(string connectionString, string keyFile) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Database:ConnectionString", connectionString);
            builder.UseSetting("Auth:Jwt:SigningKeysFile", keyFile);
            builder.UseSetting("Auth:Jwt:Issuer", Issuer);
            builder.UseSetting("Auth:Jwt:Audience", Audience);
            // A test suite sends its requests back to back from few credentials.
            builder.UseSetting("RateLimit:PermitsPerSecond", "100000");
            builder.UseSetting("RateLimit:Burst", "100000");
        }
    }
}
