using Radiant.Training;

namespace Radiant.Tests.Support;

/// <summary>
/// The quality tests' compressed schedule of the reference recipe: 2,000 iterations, densification
/// every 50 from 200 to 1,500, an opacity reset at 1,000, the SH degree raised every 300.
/// </summary>
internal static class QualitySchedule
{
    public static TrainingOptions Options => new()
    {
        Iterations = 2000,
        DensifyFrom = 200,
        DensifyInterval = 50,
        DensifyUntil = 1500,
        OpacityResetInterval = 1000,
        ShIncreaseInterval = 300,
    };
}
