using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ImageCatalog.IntegrationTests.Infrastructure;

/// <summary>The real service (Program, its pipeline and its database) with a clock the tests move by hand.</summary>
public sealed class ImageCatalogFactory(string connectionString, FakeTimeProvider clock) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Development turns on the container's scope and build-time validation.
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:ConnectionString", connectionString);
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
    }
}
