# loom_library(<folder> SOURCES ... DEPS ...): one library per folder, named loom::<folder>.
# Headers are included as "<folder>/<file>.hpp" from the repository root.
function(loom_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                                           -Wno-sign-conversion
                                           # Value structs are built with designated
                                           # initializers that rely on member defaults.
                                           -Wno-missing-field-initializers
                                           # GCC 12 false positive on std::string concatenation
                                           # (GCC bug 105329); clang has no such warning.
                                           $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
  if(LOOM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

function(loom_library folder)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(loom_${folder} STATIC ${ARG_SOURCES})
  add_library(loom::${folder} ALIAS loom_${folder})
  target_include_directories(loom_${folder} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(loom_${folder} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  loom_warnings(loom_${folder})
endfunction()

# loom_plugin(<name> SOURCES ... DEPS ...): an optional part of Loom as lib<name>.so beside the
# loom executable (core/plugin.hpp loads it on first use). The static Loom libraries it links
# are copied into it and kept private (--exclude-libs): it exports only its own entry point, so
# its copies never interpose on the executable's. --no-undefined: a missing symbol fails the
# link, not the first `loom sim`.
function(loom_plugin name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${LOOM_PLUGIN_DIR})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  target_link_options(${name} PRIVATE LINKER:--exclude-libs,ALL LINKER:--no-undefined)
  loom_warnings(${name})
  set_property(GLOBAL APPEND PROPERTY LOOM_PLUGINS ${name})
endfunction()
