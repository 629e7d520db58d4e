using System.Diagnostics;
using System.Text.Json;
using ImageCatalog.Infrastructure;
using ImageCatalog.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace ImageCatalog.IntegrationTests.Process;

/// <summary>
/// The contract suite (tests/ImageCatalog.ContractTests) pointed at an impostor on Kestrel that registers correctly but
/// answers the group page and ShowImage with a wrong shape: the suite must fail, naming the contract violation. (Pointed
/// at the real service, the same suite passes: it runs in every `dotnet test`.)
/// </summary>
[NonParallelizable]
public sealed class ContractSuiteTests
{
    [Test]
    public async Task The_contract_suite_fails_against_a_server_that_answers_a_wrong_shape()
    {
        await using var impostor = await StartImpostorAsync();
        var url = impostor.Urls.Single();

        var (exitCode, output) = await RunContractSuiteAsync(
            url, "FullyQualifiedName~Groups_aggregate_the_versions|FullyQualifiedName~Register_answers_the_image_that_show");

        Assert.That(exitCode, Is.Not.Zero, output);
        Assert.That(output, Does.Contain("ImageCatalogContractException").And.Contain("is not a ImageGroupPage").And.Contain("is not a Image"), output);
    }

    private static async Task<(int ExitCode, string Output)> RunContractSuiteAsync(string baseUrl, string filter)
    {
        var suite = Repository.BuildOutput(Path.Combine("tests", "ImageCatalog.ContractTests"), "ImageCatalog.ContractTests.dll");
        var results = Directory.CreateTempSubdirectory("imagecatalog-contract-run-");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = results.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "test", suite, "--filter", filter, "--results-directory", results.FullName })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["IMAGECATALOG_BASE_URL"] = baseUrl;
            start.Environment["IMAGECATALOG_TOKEN"] = "impostors-take-any-token";
            using var run = System.Diagnostics.Process.Start(start)!;
            var stdout = run.StandardOutput.ReadToEndAsync();
            var stderr = run.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await run.WaitForExitAsync(timeout.Token);
            return (run.ExitCode, await stdout + await stderr);
        }
        finally
        {
            results.Delete(recursive: true);
        }
    }

    /// <summary>RegisterImage as the contract says; ListImageGroup with <c>count</c> for <c>total</c>; ShowImage without <c>swr_path</c>.</summary>
    private static async Task<WebApplication> StartImpostorAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{LoopbackPort.Free()}");
        var app = builder.Build();
        static Dictionary<string, object?> Image(string swrPath) => new()
        {
            ["id"] = Guid.NewGuid(),
            ["name"] = "app",
            ["namespace"] = "team",
            ["tag"] = "1",
            ["swr_path"] = swrPath,
            ["type"] = "DEDICATED",
            ["status"] = "ACTIVE",
            ["create_at"] = 1L,
            ["update_at"] = 1L,
            ["workspace_id"] = "0",
            ["visibility"] = "PRIVATE",
            ["arch"] = "X86_64",
            ["origin"] = "CUSTOM",
            ["service_type"] = "TRAIN",
            ["resource_categories"] = Array.Empty<string>(),
            ["dev_services"] = Array.Empty<string>(),
            ["tags"] = Array.Empty<string>(),
            ["description"] = null,
            ["read_me"] = null,
            ["size"] = null,
        };
        app.MapPost("/v1/{project}/images", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            return Results.Json(Image(body.RootElement.GetProperty("swr_path").GetString()!), statusCode: StatusCodes.Status201Created);
        });
        app.MapGet("/v1/{project}/images/{id}", () =>
        {
            var image = Image("unused");
            image.Remove("swr_path");
            return Results.Json(image);
        });
        app.MapGet("/v1/{project}/images/group", () => Results.Json(new { current = 1, pages = 1, size = 0, count = 0, data = Array.Empty<object>() }));
        await app.StartAsync();
        return app;
    }
}
