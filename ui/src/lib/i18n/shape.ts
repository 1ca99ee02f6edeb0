// The shape a translation must have: every key of the English messages, any text.
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
