// Flow board messages (Russian).
import type { flowEn } from "./flow.en";
import type { Shape } from "../shape";

export const flowRu: Shape<typeof flowEn> = {
  title: "Поток пациентов",
};
