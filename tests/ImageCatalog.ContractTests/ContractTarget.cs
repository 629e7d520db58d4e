using System.Security.Cryptography;
using ImageCatalog.Client;

namespace ImageCatalog.ContractTests;

/// <summary>
/// The deployment under test. With <c>IMAGECATALOG_BASE_URL</c> set, that one, with credentials from
/// <c>IMAGECATALOG_TOKEN</c> or <c>IMAGECATALOG_ACCESS_KEY</c> and <c>IMAGECATALOG_SECRET_KEY</c> (valid for every project:
/// the suite works in projects of its own). Without it, the built Api of this repository as a real process on a free
/// port with its own throwaway PostgreSQL (the service's embedded mode) and an AK/SK made for the run.
/// Every project the suite used is emptied through the API at the end, so it is safe against a shared deployment.
/// </summary>
[SetUpFixture]
public sealed class ContractTarget
{
    public const string BaseUrlVariable = "IMAGECATALOG_BASE_URL";

    private static readonly List<string> Projects = [];
    private static LocalService? _local;
    private static Func<HttpMessageHandler, DelegatingHandler>? _authentication;

    public static Uri BaseAddress { get; private set; } = null!;

    public static string Description { get; private set; } = "";

    /// <summary>The suite signs with AK/SK (rather than sending a token), so a request changed after signing must be refused.</summary>
    public static bool UsesSignatures { get; private set; }

    /// <summary>The typed client, strict: any answer that is not exactly the contract's shape fails the test.</summary>
    public static ImageCatalogClient Client { get; private set; } = null!;

    /// <summary>An authenticated client for requests the typed client would not send (malformed values, raw bodies).</summary>
    public static HttpClient Http { get; private set; } = null!;

    /// <summary>A client without credentials.</summary>
    public static HttpClient Anonymous { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var baseUrl = Environment.GetEnvironmentVariable(BaseUrlVariable);
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            var accessKey = "CONTRACT-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
            var secretKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
            _local = await LocalService.StartAsync(accessKey, secretKey);
            BaseAddress = _local.BaseAddress;
            _authentication = inner => new SdkSigningHandler(accessKey, secretKey) { InnerHandler = inner };
            UsesSignatures = true;
            Description = $"the built Api as a process on {BaseAddress} with its own PostgreSQL";
        }
        else
        {
            BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
            (_authentication, UsesSignatures) = Credentials();
            Description = BaseAddress.ToString();
        }

        await TestContext.Progress.WriteLineAsync($"Contract suite against {Description}");
        Http = new HttpClient(_authentication(new HttpClientHandler())) { BaseAddress = BaseAddress };
        Anonymous = new HttpClient { BaseAddress = BaseAddress };
        Client = new ImageCatalogClient(Http, new ImageCatalogClientOptions { Strict = true });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        try
        {
            await RemoveWhatTheSuiteMadeAsync();
        }
        finally
        {
            Http?.Dispose();
            Anonymous?.Dispose();
            if (_local is not null)
            {
                await _local.DisposeAsync();
            }
        }
    }

    /// <summary>A project of the suite's own (32 hex digits), emptied at the end of the run.</summary>
    public static string NewProject()
    {
        var project = Guid.NewGuid().ToString("N");
        lock (Projects)
        {
            Projects.Add(project);
        }

        return project;
    }

    /// <summary>A client authenticated like <see cref="Http"/> whose requests <paramref name="tamper"/> changes after signing.</summary>
    public static HttpClient Tampered(Action<HttpRequestMessage> tamper) =>
        new(_authentication!(new AfterAuthentication(tamper) { InnerHandler = new HttpClientHandler() })) { BaseAddress = BaseAddress };

    private static (Func<HttpMessageHandler, DelegatingHandler> Authentication, bool Signs) Credentials()
    {
        var token = Environment.GetEnvironmentVariable("IMAGECATALOG_TOKEN");
        var accessKey = Environment.GetEnvironmentVariable("IMAGECATALOG_ACCESS_KEY");
        var secretKey = Environment.GetEnvironmentVariable("IMAGECATALOG_SECRET_KEY");
        if (!string.IsNullOrEmpty(accessKey) && !string.IsNullOrEmpty(secretKey))
        {
            return (inner => new SdkSigningHandler(accessKey, secretKey) { InnerHandler = inner }, true);
        }

        if (!string.IsNullOrEmpty(token))
        {
            return (inner => new TokenAuthenticationHandler(token) { InnerHandler = inner }, false);
        }

        throw new InvalidOperationException(
            $"{BaseUrlVariable} is set: give IMAGECATALOG_TOKEN, or IMAGECATALOG_ACCESS_KEY and IMAGECATALOG_SECRET_KEY, valid for every project.");
    }

    private static async Task RemoveWhatTheSuiteMadeAsync()
    {
        if (Client is null)
        {
            return;
        }

        foreach (var project in Projects)
        {
            ImageGroupPage page;
            do
            {
                page = await Client.ListImageGroupsAsync(project, new ImageGroupQuery { Type = "DEDICATED", Limit = 1000, StrongRead = true });
                foreach (var group in page.Data)
                {
                    await Client.DeleteImageGroupAsync(project, group.Id);
                }
            }
            while (page.Total > page.Data.Count);
        }
    }

    /// <summary>Runs after the authentication handler, so what it changes the signature did not cover.</summary>
    private sealed class AfterAuthentication(Action<HttpRequestMessage> tamper) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            tamper(request);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
