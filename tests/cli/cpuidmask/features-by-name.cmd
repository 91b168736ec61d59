cpuidmask features avx sse4.1 SSE3 tsc-deadline 3dnowprefetch xfeature_ymm
