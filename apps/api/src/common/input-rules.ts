import { applyDecorators } from '@nestjs/common';
import { IsInt, Matches, Max, MaxLength, Min } from 'class-validator';

/**
 * The validation rules that many inputs share, named once (applyDecorators),
 * so that a currency, an item code or a document hash is checked the same way
 * everywhere.
 */

/** Three upper-case letters; whether it is ISO 4217 and the charity's is checked with the amount. */
export const CurrencyCode = () => Matches(/^[A-Z]{3}$/, { message: 'must be a three-letter ISO 4217 code such as CNY' });

/** A document's SHA-256 in lowercase hex. */
export const Sha256Hex = () => Matches(/^[0-9a-f]{64}$/, { message: 'must be a SHA-256 in lowercase hex (64 characters)' });

/** Text with at least one non-space character, at most `max` characters. */
export const Text = (max: number) => applyDecorators(Matches(/\S/, { message: 'must not be empty' }), MaxLength(max));

/** An item code that follows goods from gift or purchase to delivery, e.g. WHEELCHAIR-STD. */
export const ItemCode = () => Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be letters, digits, . _ - (at most 64)' });

/** A charity's own project id, e.g. P-2026-01. */
export const ProjectId = () =>
  Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'must be a project id: letters, digits, . _ - (at most 64), starting with a letter or digit' });

/** A whole number of units, at least one. */
export const Units = () => applyDecorators(IsInt(), Min(1, { message: 'must be at least 1' }), Max(1_000_000_000));

/** A calendar date, YYYY-MM-DD (whether it exists is checked when it is used). */
export const CalendarDate = () => Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' });

/** A decimal amount as typed; its rules (sign, decimals, size) are checked with its currency. */
export const DecimalAmount = () => MaxLength(32);
