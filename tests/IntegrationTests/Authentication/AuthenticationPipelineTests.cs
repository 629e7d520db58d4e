using System.Net;
using ImageCatalog.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ImageCatalog.IntegrationTests.Authentication;

/// <summary>
/// CredentialAuthenticationMiddleware stands in for the framework's authentication middleware, which WebApplication
/// would otherwise add by itself: no scheme of the service handles requests itself, the one thing that middleware
/// would still do. A middleware around the whole pipeline sees what each request left behind.
/// </summary>
[NonParallelizable]
public sealed class AuthenticationPipelineTests
{
    private readonly List<(bool Authenticated, bool FrameworkFeature)> _seen = [];
    private ImageCatalogFactory _service = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _service = new ImageCatalogFactory(TestEnvironment.Database.ConnectionString, TestEnvironment.Clock, builder =>
            builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new Observer(_seen))));
        _ = _service.Server;
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _service.DisposeAsync();

    [SetUp]
    public void Forget()
    {
        lock (_seen)
        {
            _seen.Clear();
        }
    }

    [TestCase(true, HttpStatusCode.OK, TestName = "A signed request is authenticated without the framework's authentication middleware")]
    [TestCase(false, HttpStatusCode.Unauthorized, TestName = "A request without credentials is refused without the framework's authentication middleware")]
    public async Task Requests_pass_without_the_framework_s_authentication_middleware(bool signed, HttpStatusCode expected)
    {
        using var client = signed ? _service.CreateSignedClient() : _service.CreateClient();

        using var response = await client.GetAsync(new Uri($"/v1/{ImageCatalogFactory.ProjectA}/images/group?limit=1", UriKind.Relative));

        Assert.That(response.StatusCode, Is.EqualTo(expected));
        Assert.That(await SeenAsync(), Is.EqualTo(new[] { (Authenticated: signed, FrameworkFeature: false) }));
    }

    [Test]
    public async Task No_scheme_handles_requests_itself()
    {
        var schemes = _service.Services.GetRequiredService<IAuthenticationSchemeProvider>();

        Assert.That(await schemes.GetRequestHandlerSchemesAsync(), Is.Empty);
        Assert.That((await schemes.GetAllSchemesAsync()).Select(scheme => scheme.Name), Is.SupersetOf(new[] { "Bearer", "Credentials" }));
    }

    // The client may have its response before the observer's code after the pipeline has run.
    private async Task<List<(bool Authenticated, bool FrameworkFeature)>> SeenAsync()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            lock (_seen)
            {
                if (_seen.Count > 0)
                {
                    return [.. _seen];
                }
            }

            await Task.Delay(50);
        }

        return [];
    }

    /// <summary>Records, after each request, whether it was authenticated and whether the framework's middleware left its feature.</summary>
    private sealed class Observer(List<(bool Authenticated, bool FrameworkFeature)> seen) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, nextMiddleware) =>
            {
                await nextMiddleware(context);
                lock (seen)
                {
                    seen.Add((context.User.Identity?.IsAuthenticated == true, context.Features.Get<IAuthenticationFeature>() is not null));
                }
            });
            next(app);
        };
    }
}
