/** Tokenization for any Hugging Face tokenizer.json: encode, pairs with only-second truncation, windows. */
export { TextTokenizer, type Encoded, type EncodeOptions, type SpecialToken, type SpecialTokens } from './tokenizer.ts';
export { windowRanges } from './windows.ts';
