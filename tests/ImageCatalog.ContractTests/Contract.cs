using System.Net;
using System.Text.Json;
using ImageCatalog.Client;

namespace ImageCatalog.ContractTests;

/// <summary>What every contract test needs: the error-body check and a few registrations.</summary>
public static class Contract
{
    /// <summary>Status, JSON content type, exactly the contract's error body with the code, and the request id echoed in the header.</summary>
    public static async Task<ApiError> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string errorCode)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        var error = JsonSerializer.Deserialize<ApiError>(text, ImageCatalogClient.StrictJson)!;
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorCode, Is.EqualTo(errorCode), text);
            Assert.That(error.ErrorMsg, Is.Not.Empty);
            Assert.That(response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.Single() : null, Is.EqualTo(error.RequestId));
        });
        return error;
    }

    /// <summary>The typed client's error for <paramref name="call"/>, which must fail with <paramref name="status"/>.</summary>
    public static ApiError AssertFails(Func<Task> call, HttpStatusCode status, string errorCode)
    {
        var failure = Assert.ThrowsAsync<ImageCatalogException>(call)!;
        Assert.That(failure.Status, Is.EqualTo(status), failure.Message);
        Assert.That(failure.Error?.ErrorCode, Is.EqualTo(errorCode), failure.Message);
        return failure.Error!;
    }

    /// <summary>The dedicated groups of <paramref name="project"/>, read from the primary so that the suite's own writes are seen.</summary>
    public static async Task<ImageGroupPage> GroupsAsync(string project, ImageGroupQuery? query = null) =>
        await ContractTarget.Client.ListImageGroupsAsync(
            project, (query ?? new ImageGroupQuery()) with { Type = query?.Type ?? "DEDICATED", StrongRead = true });

    public static async Task<Image> RegisterAsync(string project, string swrPath, string? workspaceId = null) =>
        await ContractTarget.Client.RegisterImageAsync(project, new RegisterImageRequest(swrPath) { WorkspaceId = workspaceId });
}
