/**
 * The semantic token legend: advertised by capabilities.ts, used by features/semanticTokens.ts
 * (token type and modifier indices refer to these lists).
 */
export const SEMANTIC_TOKEN_TYPES = ['enumMember', 'string'] as const;
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration', 'deprecated'] as const;
