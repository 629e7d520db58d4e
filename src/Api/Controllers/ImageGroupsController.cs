using ImageCatalog.Api.Http;
using ImageCatalog.Application.ImageGroups.GetImageGroups;
using ImageCatalog.Domain.Images;
using ImageCatalog.Domain.Paging;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace ImageCatalog.Api.Controllers;

[ApiController]
[Route("v1/{project_id}/images/group")]
[Produces("application/json")]
public sealed class ImageGroupsController(IMediator mediator) : ControllerBase
{
    /// <summary>ListImageGroup: the project's images aggregated by name (CONTRACT.md section 1).</summary>
    [HttpGet]
    [ProducesResponseType<ImageGroupPage>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status400BadRequest)]
    public async Task<ImageGroupPage> List([FromRoute(Name = "project_id")] string projectId, CancellationToken cancellationToken)
    {
        var query = StrictQueryString.Parse(Request.QueryString.Value);
        var message = new GetImageGroupsQuery(
            projectId,
            Name: query.GetString("name"),
            NameFuzzyMatch: query.GetBoolean("name_fuzzy_match", defaultValue: true),
            Namespace: query.GetString("namespace"),
            Type: query.GetEnum<ImageType>("type"),
            WorkspaceId: query.GetString("workspace_id") ?? ImageRules.DefaultWorkspaceId,
            Limit: query.GetInt32("limit", PageRules.DefaultLimit, PageRules.LimitRule),
            Offset: query.GetInt32("offset", 0, PageRules.OffsetRule));
        query.ThrowIfInvalid();
        return await mediator.Send(message, cancellationToken);
    }
}
