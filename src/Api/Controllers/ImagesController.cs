using ImageCatalog.Api.Http;
using ImageCatalog.Application.Images;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace ImageCatalog.Api.Controllers;

[ApiController]
[Route("v1/{project_id}/images")]
[Produces("application/json")]
public sealed class ImagesController(IMediator mediator) : ControllerBase
{
    private const int MaxBodyBytes = 64 * 1024;

    /// <summary>RegisterImage: adds an image version; 201 with the image, 409 when its swr_path is already registered.</summary>
    [HttpPost]
    [Consumes("application/json")]
    [RequestSizeLimit(MaxBodyBytes)]
    [ProducesResponseType<ImageDto>(StatusCodes.Status201Created)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status400BadRequest)]
    [ProducesResponseType<ErrorBody>(StatusCodes.Status409Conflict)]
    public async Task<ActionResult<ImageDto>> Register(
        [FromRoute(Name = "project_id")] string projectId,
        [FromBody] RegisterImageRequest request,
        CancellationToken cancellationToken)
    {
        var image = await mediator.Send(request.ToCommand(projectId), cancellationToken);
        return Created($"/v1/{Uri.EscapeDataString(projectId)}/images/{image.Id}", image);
    }
}
