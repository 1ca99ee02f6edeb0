// Journey timeline messages (Russian).
import type { journeyEn } from "./journey.en";
import type { Shape } from "../shape";

export const journeyRu: Shape<typeof journeyEn> = {
  title: "Путь пациента",
};
