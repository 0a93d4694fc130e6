"""Named constants of the method, each with the source it comes from."""

from typing import Final

# Shewhart XmR scaling of the average moving range (3 / d2 with d2 = 1.128, rounded);
# used literally, as the MDC guidance and NHSRplotthedots 0.2.2 (R/ptd_spc_standard.R) do.
LIMIT_FACTOR: Final = 2.66
# Two-thirds of the way to the limit: the "two sigma" line, computed exactly as
# NHSRplotthedots 0.2.2 does (2 * (2.66 / 3)) so comparisons agree to the last bit.
TWO_SIGMA_FACTOR: Final = 2 * (LIMIT_FACTOR / 3)
# Moving ranges at or above this multiple of the average moving range are screened out
# (Nelson's upper range limit D4 = 3.267; MDC guidance, NHSRplotthedots 0.2.2).
SCREEN_FACTOR: Final = 3.267
# Groups shorter than this get a "trial limits" warning (NHSRplotthedots 0.2.2 option
# ptd_spc.warning_threshold, default 13).
SHORT_GROUP_THRESHOLD: Final = 13
# Smallest fix_after_n_points the reference accepts (NHSRplotthedots ptd_validate_spc_options).
MIN_FIX_AFTER: Final = 12
# A series with fewer points than this gets no process limits and no variation verdict: it is shown as a run chart
# with "n points: too few for process limits", never as "common cause". Making Data Count (NHS England, "Making
# Data Count: Getting started" and "Strengthening your decisions") advises a baseline of at least 12 points (ideally
# 15 to 20) before limits mean anything; 12 is also the shortest baseline NHSRplotthedots 0.2.2 lets limits be fixed
# on (MIN_FIX_AFTER). SPCOptions(min_points_for_limits=None) switches the rule off to reproduce the reference exactly.
MIN_POINTS_FOR_LIMITS: Final = MIN_FIX_AFTER

# Run lengths of the MDC rules (NHSRplotthedots 0.2.2; MDC "Making Data Count" guidance).
MDC_TREND_LENGTH: Final = 7
MDC_SHIFT_LENGTH: Final = 7
# The MDC Excel tool's variant: six points for a trend or shift (NHS England MDC SPC tool).
MDC_EXCEL_TREND_LENGTH: Final = 6
MDC_EXCEL_SHIFT_LENGTH: Final = 6

# Run chart rules (Perla, Provost & Murray, "The run chart", BMJ Qual Saf 2011;20:46-51;
# IHI run chart tool): a shift is 6 or more points on one side of the median (points on the
# median neither count nor break it); a trend is 5 or more points all going up or all going
# down (repeated equal values neither count nor break it).
IHI_SHIFT_LENGTH: Final = 6
IHI_TREND_LENGTH: Final = 5

# Attribute (p, u, c) charts: Shewhart's three-sigma limits and two-sigma warning lines.
ATTRIBUTE_SIGMA: Final = 3.0
ATTRIBUTE_TWO_SIGMA: Final = 2.0

# Making Data Count colours (NHS England MDC icons; NHSRplotthedots R/ptd_spc_colours.R).
COLOUR_COMMON_CAUSE: Final = "#a6a6a6"
COLOUR_IMPROVEMENT: Final = "#00b0f0"
COLOUR_CONCERN: Final = "#e46c0a"
COLOUR_NEUTRAL: Final = "#490092"
# Neutral colours for lines and text on the chart (NHS identity guidelines: NHS dark grey, NHS blue).
COLOUR_LINE: Final = "#425563"
COLOUR_TARGET: Final = "#de2d26"
COLOUR_TEXT: Final = "#212b32"
