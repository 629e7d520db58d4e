using System.Net;
using static ImageCatalog.ContractTests.Contract;

namespace ImageCatalog.ContractTests;

/// <summary>Every route needs credentials; bad ones are a 401 with the contract's body.</summary>
public sealed class AuthenticationContractTests
{
    private static readonly string Id = Guid.NewGuid().ToString();

    public static IEnumerable<TestCaseData> Routes() =>
    [
        new("GET", "images/group"),
        new("PUT", $"images/group/{Id}"),
        new("DELETE", $"images/group/{Id}"),
        new("POST", "images"),
        new("GET", "images"),
        new("GET", $"images/{Id}"),
        new("DELETE", $"images/{Id}"),
    ];

    [TestCaseSource(nameof(Routes))]
    public async Task Without_credentials_every_route_is_a_401(string method, string route)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), $"v1/{ContractTarget.NewProject()}/{route}");

        using var response = await ContractTarget.Anonymous.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "ModelArts.0205");
    }

    [TestCase("X-Auth-Token", "not-a-token", "ModelArts.0203")]
    [TestCase("Authorization", "SDK-HMAC-SHA256 nonsense", "ModelArts.0206")]
    public async Task A_credential_that_is_not_one_is_a_401(string header, string value, string errorCode)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/{ContractTarget.NewProject()}/images/group");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await ContractTarget.Anonymous.SendAsync(request);

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, errorCode);
    }

    [Test]
    public async Task A_request_changed_after_signing_is_a_401()
    {
        if (!ContractTarget.UsesSignatures)
        {
            Assert.Ignore("The suite runs with a token here; this check needs AK/SK credentials.");
        }

        using var tampered = ContractTarget.Tampered(request => request.RequestUri = new Uri(request.RequestUri + "?limit=1"));

        using var response = await tampered.GetAsync($"v1/{ContractTarget.NewProject()}/images/group");

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "ModelArts.0203");
    }
}
