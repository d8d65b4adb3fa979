/**
 * A value of a generated L1 enum, written as its text (`enumValue('PathPrefix')` where the L1
 * field is an `HttpRouteSpecRulesMatchesPathType`): the text is checked against the enum's values
 * at compile time, and the enum is inferred from the field the value is written to.
 *
 * The strategy imports the Gateway API L1 modules as types only: loading the library loads no
 * CRD module, and `render` loads the module of the exposure's channel. So it cannot name the
 * enums' members, which are values of one module; their values are the same text in both.
 */
export function enumValue<E extends string | undefined>(text: `${NoInfer<E & string>}`): E & string {
  return text as E & string;
}
