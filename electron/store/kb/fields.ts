/**
 * The field types the knowledge base's sections share: a command line (argv, never a shell
 * string), positive numbers and counts.
 */
import { z } from 'zod';

export const argv = z.array(z.string().min(1, 'an argument may not be empty')).min(1, 'give at least the program to run');
export const positive = z.number().positive();
export const count = z.number().int().min(1);
